/**
 * Story (issue 13, item 10): a dev stack whose member 0 is down (its instance stopped) is destroyed.
 * Every member removal runs on member 0 through SSM; the destroy must still remove everything.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { playStory } from "./support/story";

describe("destroying a broken dev stack", () => {
  it("pulumi destroy removes every resource although member 0 is down", async () => {
    await playStory("destroy", { members: 3 }, async ({ drill }) => {
      await drill.stopInstance("etcd-dev-0");
      const destroyed = await drill.destroyStack();
      assert.equal(destroyed.ok, true, destroyed.failure);
      assert.deepEqual(drill.deployedNames(), []);
    });
  });
});
