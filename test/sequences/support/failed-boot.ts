/**
 * What an operator reads in a `pulumi up` whose health gate met a member boot that failed for good
 * (health-gate.sh): the boot's reason, then the gate's last line naming it. The stories take the
 * operator's command from that text, as the operator would, not from the drill's boot log.
 */
import assert from "node:assert/strict";
import type { UpOutcome } from "../../../dev/sequence-drill/sequence-drill";

/**
 * Asserts that `outcome` failed at `member`'s health gate on a boot that failed for good, the gate
 * stopping on it before its own limits (a check while the boot still runs is "not yet", so the
 * first check may pass it by), and returns the command the boot's refusal names (single-quoted,
 * with etcd-replace-member) from the up's own failure text.
 */
export function failedBootCommand(outcome: UpOutcome, member: string): string {
  const output = outcome.failureOutput ?? "";
  assert.equal(outcome.ok, false);
  const stopped = new RegExp(`: etcd member ${member} \\(i-[0-9a-f]+\\): its boot failed for good \\(attempt (\\d+)/(\\d+)\\)`).exec(outcome.failure ?? "");
  assert.ok(stopped !== null, `the gate did not stop on the failed boot: ${outcome.failure}`);
  assert.ok(Number(stopped[1]) < Number(stopped[2]), `the gate used all its attempts: ${stopped[0]}`);
  assert.match(output.trimEnd(), /then run pulumi up again$/);
  const command = /'([^']*etcd-replace-member[^']*)'/.exec(output)?.[1];
  assert.ok(command !== undefined, `the up's failure names no command:\n${output}`);
  return command;
}
