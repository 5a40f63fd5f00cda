/**
 * Story (issue 13, item 4): every instance stops, etcd-dev-2's WAL volume is lost, and an up
 * creates it blank and replaces etcd-dev-2 while the others are still down. Its join step hears
 * nobody and boots it as `new` with its old identity and data; its gate fails (no quorum) and the up
 * stops. The others come back, the operator runs up again: one cluster, no acknowledged write lost.
 * (Two members in that state, the write loss, cannot come out of `up` alone: the first one's
 * gate stops the rollout before the second is replaced.) etcd-dev-2's boot gave up its health wait
 * while the others were down; the retry's health gate finishes it (etcd-finish-boot: etcd is
 * healthy once the others are back, so the promote step runs and the completion marker is written).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { playStory } from "./support/story";

describe("the whole cluster down, one member back with an empty WAL", () => {
  it("keeps one cluster and every acknowledged write", async () => {
    await playStory("down", { members: 3 }, async ({ drill, finish }) => {
      for (const member of ["etcd-dev-0", "etcd-dev-1", "etcd-dev-2"]) await drill.stopInstance(member);
      drill.loseVolume("etcd-dev-2", "wal");
      const back = await drill.up({ members: 3 }, "the lost WAL volume is created blank, etcd-dev-2 replaced while the others are down");
      console.log(`up: ${back.ok ? "completed" : back.failure}; etcd-dev-2's boot: ${(await drill.bootOutcome("etcd-dev-2")).split("\n").slice(-3).join(" | ")}`);
      drill.startInstance("etcd-dev-0");
      drill.startInstance("etcd-dev-1");
      const retry = await drill.up({ members: 3 }, "the operator runs up again once the others are back");
      assert.equal(retry.ok, true, retry.failure);
      await finish();
    });
  });
});
