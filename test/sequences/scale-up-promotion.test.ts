/**
 * Story (issue 13, item 2): the cluster grows 3 → 5 while etcd refuses every promotion (etcd-dev-3
 * does not catch up with the leader): its boot and its health gate ask in vain, so it stays a
 * learner and the up stops at its gate. Then it catches up, and a later change replaces every
 * instance. etcd-dev-4, without an instance, rolls first: its join step finds the learner pending
 * (etcd admits one) and has etcd promote it, then joins and is promoted itself (the first
 * pre-disruption gate of a running member would promote it too: test/e2e/learner-promotion.test.ts);
 * the replaced etcd-dev-3 finds its WAL and stays a voter.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { playStory } from "./support/story";

describe("scale 3 → 5 with a promotion that gives up, then an instance replacement", () => {
  it("ends with five voters and every acknowledged write", async () => {
    await playStory("promo", { members: 3 }, async ({ drill, finish }) => {
      drill.refusePromotions();
      const grown = await drill.up({ members: 5 }, "scale 3 → 5; etcd refuses etcd-dev-3's promotion");
      assert.equal(grown.ok, false, "the up stops at etcd-dev-3's gate");
      assert.match(grown.failure ?? "", /^etcd-dev-member-3-health-gate: /);
      const stuck = await drill.view();
      assert.deepEqual(
        stuck.listed?.filter((member) => member.isLearner).map((member) => member.name),
        ["etcd-dev-3"],
        "the promotion gave up: etcd-dev-3 is a learner",
      );
      console.log(`etcd-dev-3's boot: ${(await drill.bootOutcome("etcd-dev-3")).split("\n").slice(-4).join("\n")}`);
      drill.acceptPromotions();
      const replaced = await drill.up({ members: 5, tuning: { snapshotCount: 20000 } }, "a change that replaces every instance");
      assert.equal(replaced.ok, true, replaced.failure);
      await finish();
    });
  });
});
