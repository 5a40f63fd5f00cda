/**
 * Story (issue 13, item 1): a rollout is interrupted right after a member's instance was deleted
 * (delete-before-replace: the new one not created yet), and the operator retries with a further
 * change. Almost any change re-renders every member, so the retry starts at member 0; it must not
 * take a second voter down while member 1 has no instance: member 0's pre-disruption gate refuses.
 * (Before that gate, the retry lost quorum: 3 voters down at its first instance deletion.) How
 * member 1 gets its instance back, behind that gate in the chain, the story does not show.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { playStory } from "./support/story";

describe("an interrupted rollout and its retry", () => {
  it("the retry stops before member 0 is disrupted while member 1 is down, naming it", async () => {
    await playStory("retry", { members: 3 }, async ({ drill }) => {
      const interrupted = await drill.up(
        { members: 3, tuning: { snapshotCount: 20000 } },
        "snapshot-count 20000, interrupted",
        (step) => step.operation === "delete" && step.resource.name === "etcd-dev-member-1-instance",
      );
      assert.equal(interrupted.failure, "interrupted");
      const retry = await drill.up({ members: 3, tuning: { snapshotCount: 30000 } }, "the retry, with snapshot-count 30000");
      assert.equal(retry.ok, false, "the retry must not go on");
      assert.match(retry.failure ?? "", /etcd-dev-member-0-pre-disruption-gate: .*etcd-dev-0/);
      assert.equal(retry.stepsTaken, 0, "nothing of member 0 was touched");
      // Every step held the invariants (at most one voter down): etcd-dev-1 is the only one.
      const view = await drill.view();
      assert.deepEqual(view.votersDown, [drill.cluster.members.find((member) => member.name === "etcd-dev-1")?.peerUrl]);
    });
  });
});
