/**
 * Story (issue 13, item 1, the way out of a refusal): etcd-dev-2's etcd stops while its instance
 * runs on (EC2 reports it running, so the rollout order stays member order). A change to every
 * member stops at member 0's pre-disruption gate, whose refusal names etcd-dev-2 and the way out.
 * The operator follows it: stops etcd-dev-2's instance and runs the same up again, which now
 * replaces etcd-dev-2 first (core/plan/rollout-order.ts: a member whose instance is not running
 * rolls first) and then the others, each behind its gate.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { instanceSteps, playStory } from "./support/story";

describe("a member's etcd down on a running instance", () => {
  it("the gate refuses, naming the way out; with that instance stopped, the next up replaces it first", async () => {
    await playStory("etcddown", { members: 3 }, async ({ drill, finish }) => {
      await drill.stopEtcd("etcd-dev-2");
      const change = { members: 3, tuning: { snapshotCount: 20000 } };
      const refused = await drill.up(change, "a change to every member while etcd-dev-2's etcd is down");
      assert.equal(refused.ok, false, "the up must stop");
      assert.match(refused.failure ?? "", /^etcd-dev-member-0-pre-disruption-gate: /);
      assert.deepEqual(instanceSteps(refused), [], "no instance touched");
      assert.match(refused.failureOutput ?? "", /REFUSED: etcd member etcd-dev-2 \(https:\/\/[0-9.]+:2379\) is not healthy/);
      assert.match(refused.failureOutput ?? "", /If its instance runs, etcd failed there .*stop that instance \(aws ec2 stop-instances\) and run pulumi up again/);

      await drill.stopInstance("etcd-dev-2");
      const retry = await drill.up(change, "etcd-dev-2's instance stopped by the operator: up again");
      assert.equal(retry.ok, true, retry.failure);
      assert.deepEqual(instanceSteps(retry), [
        "delete etcd-dev-member-2-instance",
        "create etcd-dev-member-2-instance",
        "delete etcd-dev-member-0-instance",
        "create etcd-dev-member-0-instance",
        "delete etcd-dev-member-1-instance",
        "create etcd-dev-member-1-instance",
      ]);
      await finish();
    });
  });
});
