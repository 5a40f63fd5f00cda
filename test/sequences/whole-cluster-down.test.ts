/**
 * Story (issue 13, item 4): every instance stops, etcd-dev-2's WAL volume is lost, and an up
 * creates it blank (a new volume: a new ID, so etcd-dev-2's user data changes) while the others
 * are still down. etcd-dev-2's pre-disruption gate finds no running member to ask and stops that
 * up before its instance is touched. The others come back, the operator runs up again: the gate
 * passes (etcd-dev-2 is the member about to go), etcd-dev-2 is replaced, and its join step refuses
 * the blank WAL beside its data (started as new it would come back under its old identity with an
 * empty log, the issue's write loss) and names the operator's step: the boot failed for good, so
 * etcd-dev-2's health gate stops at its first check and the up's failure text carries the refusal.
 * The operator runs the step it names on etcd-dev-2's instance and up once more: etcd-dev-2 comes back as a new member of the same
 * cluster, and no acknowledged write is lost.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { failedBootCommand } from "./support/failed-boot";
import { playStory } from "./support/story";

describe("the whole cluster down, one member back with an empty WAL", () => {
  it("keeps one cluster and every acknowledged write: the join step refuses the blank WAL, the operator replaces the member as the refusal says", async () => {
    await playStory("down", { members: 3 }, async ({ drill, finish }) => {
      for (const member of ["etcd-dev-0", "etcd-dev-1", "etcd-dev-2"]) await drill.stopInstance(member);
      drill.loseVolume("etcd-dev-2", "wal");
      const back = await drill.up({ members: 3 }, "the lost WAL volume is created blank, etcd-dev-2 to be replaced while the others are down");
      assert.equal(back.ok, false, "etcd-dev-2's pre-disruption gate finds no member to ask");
      assert.match(back.failure ?? "", /^etcd-dev-member-2-/);
      drill.startInstance("etcd-dev-0");
      drill.startInstance("etcd-dev-1");

      const retry = await drill.up({ members: 3 }, "the operator runs up again once the others are back");
      assert.equal(retry.ok, false, "etcd-dev-2 must not come back under its old identity with an empty log");
      assert.match(retry.failure ?? "", /^etcd-dev-member-2-health-gate:/);
      const command = failedBootCommand(retry, "etcd-dev-2");
      assert.match(retry.failureOutput ?? "", /holds data but \S+ is empty \(a replaced WAL volume\?\)/);
      assert.equal(drill.hostState("etcd-dev-2").bootCompleted, false);

      const replaced = await drill.onHost("etcd-dev-2", command, "as the refusal says");
      assert.equal(replaced.ok, true, replaced.output);
      const again = await drill.up({ members: 3 }, "pulumi up again, as the refusal says");
      assert.equal(again.ok, true, again.failure);
      assert.equal(drill.hostState("etcd-dev-2").bootCompleted, true);
      await finish();
    });
  });
});
