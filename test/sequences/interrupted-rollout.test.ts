/**
 * Story (issue 13, item 1): a rollout is interrupted right after a member's instance was deleted
 * (delete-before-replace: the new one not created yet), and the operator retries with a further
 * change. Almost any change re-renders every member. The retry reads the live instances first
 * (as DescribeInstances shows them: member 1 has none) and rolls the member without a running
 * instance first (core/plan/rollout-order.ts): member 1 comes back, passes its health gate, and only
 * then are members 0 and 2 replaced, each behind its pre-disruption gate. (In member order the
 * retry stopped at member 0's gate, safe but with no `up` that could bring member 1 back; before
 * the gates it lost quorum: 3 voters down at its first instance deletion.)
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { instanceSteps, playStory } from "./support/story";

describe("an interrupted rollout and its retry", () => {
  it("the retry brings member 1 back first, then replaces members 0 and 2, holding every invariant", async () => {
    await playStory("retry", { members: 3 }, async ({ drill, finish }) => {
      const interrupted = await drill.up(
        { members: 3, tuning: { snapshotCount: 20000 } },
        "snapshot-count 20000, interrupted",
        (step) => step.operation === "delete" && step.resource.name === "etcd-dev-member-1-instance",
      );
      assert.equal(interrupted.failure, "interrupted");
      const retry = await drill.up({ members: 3, tuning: { snapshotCount: 30000 } }, "the retry, with snapshot-count 30000");
      assert.equal(retry.ok, true, retry.failure);
      assert.deepEqual(instanceSteps(retry), [
        "create etcd-dev-member-1-instance",
        "delete etcd-dev-member-0-instance",
        "create etcd-dev-member-0-instance",
        "delete etcd-dev-member-2-instance",
        "create etcd-dev-member-2-instance",
      ]);
      // Member 1 was healthy again before anything of member 0 was touched.
      const position = (step: string) => retry.steps.indexOf(step);
      assert.ok(position("update etcd-dev-member-1-health-gate") >= 0, "member 1's health gate ran");
      assert.ok(position("update etcd-dev-member-1-health-gate") < position("update etcd-dev-member-0-pre-disruption-gate"));
      await finish();
    });
  });
});
