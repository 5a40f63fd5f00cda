/**
 * Story (issue 13, item 4): every instance stops, etcd-dev-2's WAL volume is lost, and an up
 * creates it blank and replaces etcd-dev-2 while the others are still down: "nobody answers" must
 * not make it a new cluster. Then the others come back; no acknowledged write may be lost.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { playStory } from "./support/story";

describe("the whole cluster down, one member back with an empty WAL", () => {
  it("keeps one cluster and every acknowledged write", { todo: "waits for \"nobody answers\" narrowed (boot)" }, async () => {
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
