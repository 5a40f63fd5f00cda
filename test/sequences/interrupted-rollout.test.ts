/**
 * Story (issue 13, item 1): a rollout is interrupted right after a member's instance was deleted
 * (delete-before-replace: the new one not created yet), and the operator retries with a further
 * change. Almost any change re-renders every member, so the retry starts at member 0; it must not
 * take a second voter down while member 1 has no instance.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { playStory } from "./support/story";

describe("an interrupted rollout and its retry", () => {
  it("keeps at most one voter down and ends with every member a voter and every write", { todo: "waits for the cluster-wide gate (gate)" }, async () => {
    await playStory("retry", { members: 3 }, async ({ drill, finish }) => {
      const interrupted = await drill.up({ members: 3, tuning: { snapshotCount: 20000 } }, "snapshot-count 20000, interrupted",
        (step) => step.operation === "delete" && step.resource.name === "etcd-dev-member-1-instance");
      assert.equal(interrupted.failure, "interrupted");
      const retry = await drill.up({ members: 3, tuning: { snapshotCount: 30000 } }, "the retry, with snapshot-count 30000");
      assert.equal(retry.ok, true, retry.failure);
      await finish();
    });
  });
});
