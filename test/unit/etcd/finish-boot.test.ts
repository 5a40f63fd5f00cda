/**
 * etcd-finish-boot (finish-boot.sh), run by bash with a stand-in curl (etcd's /health) and a
 * stand-in join step that logs its arguments: what it finishes, and what it refuses to.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { renderFinishBootScript } from "../../../src/core/member/scripts/finish-boot-script";
import { checkShellScript, checkShellScriptFile, toolAvailable } from "../../support/linters";
import { inSandbox, type ScriptSandbox } from "../../support/script-sandbox";

const FINISH_BOOT_SH = join(__dirname, "../../../src/core/member/scripts/finish-boot.sh");
const HEALTHY = `echo '{"health":"true","reason":""}'`;
const NO_LEADER = `echo '{"health":"false","reason":"RAFT NO LEADER"}'`;
/** curl when etcd does not listen: connection refused, no answer. */
const NO_ANSWER = "exit 7";
/** What a boot refused by its join step leaves in its failed-boot marker (boot.sh record_failure). */
const REFUSAL = [
  "etcd-join-cluster: /var/lib/etcd/data/etcd holds data but /var/lib/etcd/wal/etcd is empty (a replaced WAL volume?): ... run 'etcd-replace-member && etcd-member-boot', then run pulumi up again",
  "etcd-member-boot[etcd-test-1]: FAILED (exit 1) before it started etcd; nothing on this instance runs the boot again",
].join("\n");

interface Member {
  /** The boot started etcd and its timers (its marker is there). */
  readonly etcdStarted?: boolean;
  /** The boot completed (its marker is there). */
  readonly complete?: boolean;
  /** What the boot left in its failed-boot marker, when it left one. */
  readonly failedBoot?: string;
  /** What curl prints for /health. */
  readonly health: string;
  /** Exit status of the join step's promote. */
  readonly promoteStatus?: number;
}

/** Runs `etcd-finish-boot ARGS` on a member in the state given; returns its status, output, the join step's calls and the marker. */
function finishBoot(member: Member, args = "") {
  return inSandbox((sandbox: ScriptSandbox) => {
    if (member.etcdStarted === true) sandbox.file("etcd-started");
    if (member.complete === true) sandbox.file("boot-complete");
    if (member.failedBoot !== undefined) sandbox.file("boot-failed", `${member.failedBoot}\n`);
    const joinCalls = sandbox.path("join-calls");
    writeFileSync(sandbox.path("etcd-join-cluster"), `#!/bin/sh\necho "$*" >> '${joinCalls}'\nexit ${member.promoteStatus ?? 0}\n`, { mode: 0o755 });
    const run = sandbox.run({
      script: FINISH_BOOT_SH,
      settings: [
        `readonly BOOT_COMPLETE_MARKER='${sandbox.path("boot-complete")}'`,
        `readonly ETCD_STARTED_MARKER='${sandbox.path("etcd-started")}'`,
        `readonly BOOT_FAILED_MARKER='${sandbox.path("boot-failed")}'`,
        "readonly BOOT_FAILED_STATUS=3",
        `readonly HEALTH_URL='http://127.0.0.1:2381/health'`,
        `readonly JOIN_CLUSTER='${sandbox.path("etcd-join-cluster")}'`,
      ],
      steps: `main ${args}`,
      stubs: { curl: member.health },
    });
    const calls = existsSync(joinCalls) ? readFileSync(joinCalls, "utf8").trim().split("\n") : [];
    return { ...run, joinCalls: calls, complete: existsSync(sandbox.path("boot-complete")) };
  });
}

describe("etcd-finish-boot (the end of a member's boot, run by the boot and by the health gate)", () => {
  test("passes shellcheck as a file and as rendered", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    for (const report of [checkShellScriptFile(FINISH_BOOT_SH), checkShellScript(renderFinishBootScript())]) assert.ok(report.passed, report.output);
  });

  test("renders the markers, the health URL and the join step as readonly settings bash reads", () => {
    const declared = inSandbox((sandbox) =>
      sandbox.run({
        script: sandbox.file("etcd-finish-boot", renderFinishBootScript()),
        steps: "declare -p BOOT_COMPLETE_MARKER ETCD_STARTED_MARKER BOOT_FAILED_MARKER BOOT_FAILED_STATUS HEALTH_URL JOIN_CLUSTER",
      }),
    );
    assert.equal(
      declared.stdout,
      [
        `declare -r BOOT_COMPLETE_MARKER="/var/lib/etcd/boot-complete"`,
        `declare -r ETCD_STARTED_MARKER="/var/lib/etcd/boot-etcd-started"`,
        `declare -r BOOT_FAILED_MARKER="/var/lib/etcd/boot-failed"`,
        `declare -r BOOT_FAILED_STATUS="3"`,
        `declare -r HEALTH_URL="http://127.0.0.1:2381/health"`,
        `declare -r JOIN_CLUSTER="/usr/local/sbin/etcd-join-cluster"`,
        "",
      ].join("\n"),
    );
  });

  test("finishes a boot that started etcd and stopped before its end, once etcd is healthy: promote step, then the completion marker", () => {
    const run = finishBoot({ etcdStarted: true, health: HEALTHY });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.joinCalls, ["--promote"]);
    assert.equal(run.complete, true);
    assert.match(run.stderr, /etcd is healthy and a voting member: the boot is complete/);
  });

  test("with --once, hands the promote step its bounded mode (one member list, one promotion attempt)", () => {
    const run = finishBoot({ etcdStarted: true, health: HEALTHY }, "--once");
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.joinCalls, ["--promote --once"]);
  });

  test("fails, writing no marker, while etcd is not healthy (the cluster has no quorum)", () => {
    const run = finishBoot({ etcdStarted: true, health: NO_LEADER });
    assert.equal(run.status, 1);
    assert.deepEqual(run.joinCalls, []);
    assert.equal(run.complete, false);
    assert.match(run.stderr, /the boot started etcd, which is not healthy yet: \{"health":"false","reason":"RAFT NO LEADER"\}/);
  });

  test("fails, writing no marker, when etcd refuses the promotion", () => {
    const run = finishBoot({ etcdStarted: true, health: HEALTHY, promoteStatus: 1 });
    assert.equal(run.status, 1);
    assert.equal(run.complete, false);
    assert.match(run.stderr, /the promote step failed \(above\): the boot is not complete/);
  });

  test("fails a boot that never started etcd (a refused join, a failed download), even with etcd healthy, pointing at the boot's log", () => {
    const run = finishBoot({ health: HEALTHY });
    assert.equal(run.status, 1);
    assert.deepEqual(run.joinCalls, []);
    assert.equal(run.complete, false);
    assert.match(run.stderr, /the boot has not started etcd: it is still running, or it stopped before \(its log: \/var\/log\/cloud-init-output\.log\)/);
  });

  test("a boot that stopped before starting etcd and left its reason failed for good: exit 3 with the reason, nothing asked of etcd", () => {
    const run = finishBoot({ failedBoot: REFUSAL, health: HEALTHY }, "--once");
    assert.equal(run.status, 3);
    assert.deepEqual(run.joinCalls, []);
    assert.equal(run.complete, false);
    assert.match(run.stderr, /the boot failed for good: it stopped before starting etcd, and nothing on this instance runs it again/);
    assert.ok(run.stderr.endsWith(`${REFUSAL}\n`), run.stderr);
  });

  test("a failed-boot marker beside the started marker is not final: the check finishes the boot that started etcd", () => {
    const run = finishBoot({ failedBoot: REFUSAL, etcdStarted: true, health: HEALTHY }, "--once");
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.complete, true);
  });

  test("--started passes once etcd answers /health at all, a 503 without a leader too, and fails while it gives no answer", () => {
    assert.equal(finishBoot({ etcdStarted: true, health: NO_LEADER }, "--started").status, 0);
    const silent = finishBoot({ etcdStarted: true, health: NO_ANSWER }, "--started");
    assert.equal(silent.status, 1);
    assert.match(silent.stderr, /etcd does not answer http:\/\/127\.0\.0\.1:2381\/health yet/);
  });

  test("--started reports a boot that failed for good with exit 3 and its reason", () => {
    const run = finishBoot({ failedBoot: REFUSAL, health: NO_ANSWER }, "--started");
    assert.equal(run.status, 3);
    assert.ok(run.stderr.endsWith(`${REFUSAL}\n`), run.stderr);
  });

  test("--health prints etcd's answer and passes only when it reports true (the boot's own health wait)", () => {
    const healthy = finishBoot({ health: HEALTHY }, "--health");
    assert.deepEqual([healthy.status, healthy.stdout], [0, '{"health":"true","reason":""}\n']);
    const noLeader = finishBoot({ health: NO_LEADER }, "--health");
    assert.deepEqual([noLeader.status, noLeader.stdout], [1, '{"health":"false","reason":"RAFT NO LEADER"}\n']);
    assert.deepEqual(finishBoot({ health: NO_ANSWER }, "--health").stdout, "no answer\n");
  });

  test("passes a completed boot while etcd is healthy, without asking etcd about promotion again", () => {
    const run = finishBoot({ complete: true, health: HEALTHY });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.joinCalls, []);
  });

  test("fails a completed boot while etcd is not healthy", () => {
    const run = finishBoot({ complete: true, etcdStarted: true, health: NO_LEADER });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /the boot completed, but etcd is not healthy: \{"health":"false"/);
  });

  test("refuses an unknown argument", () => {
    const run = finishBoot({ health: HEALTHY }, "--promote");
    assert.equal(run.status, 2);
    assert.match(run.stderr, /usage: etcd-finish-boot \[--once \| --started \| --health\]/);
  });
});
