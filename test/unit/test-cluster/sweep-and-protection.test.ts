/** Which stacks a sweep destroys, and which stacks a destroy refuses. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { STACK_TAGS } from "../../../dev/test-cluster/expiry";
import { protectedStackRefusal } from "../../../dev/test-cluster/protection";
import { selectExpiredStacks } from "../../../dev/test-cluster/sweep-selection";

const NOW = new Date("2026-12-03T12:00:00Z");
const expiring = (name: string, at: string) => ({ name, tags: { [STACK_TAGS.expiresAt]: at } });

describe("sweep selection", () => {
  it("destroys the test stacks whose expiry has passed, the oldest first, and one expiring this very second", () => {
    const selection = selectExpiredStacks(
      [
        expiring("test-b", "2026-12-03T11:00:00Z"),
        expiring("test-a", "2026-12-02T11:00:00Z"),
        expiring("test-now", "2026-12-03T12:00:00Z"),
        expiring("test-later", "2026-12-03T12:00:01Z"),
      ],
      NOW,
    );
    assert.deepEqual(selection.destroy, ["test-a", "test-b", "test-now"]);
    assert.deepEqual(selection.kept, [{ stack: "test-later", reason: "expires at 2026-12-03T12:00:01Z" }]);
  });

  it("never destroys a stack not named test-<name>, whatever its tags say", () => {
    const selection = selectExpiredStacks([expiring("dev", "2020-01-01T00:00:00Z"), expiring("acme/prod", "2020-01-01T00:00:00Z")], NOW);
    assert.deepEqual(selection, { destroy: [], kept: [] });
  });

  it("keeps a test stack without a readable expiry and says why", () => {
    const selection = selectExpiredStacks([{ name: "test-x", tags: {} }, expiring("test-y", "yesterday")], NOW);
    assert.deepEqual(selection.destroy, []);
    assert.deepEqual(selection.kept, [
      { stack: "test-x", reason: "no test-cluster:expires-at tag" },
      { stack: "test-y", reason: 'test-cluster:expires-at "yesterday" is not a UTC time' },
    ]);
  });

  it("keeps the organization-qualified names the backend lists", () => {
    assert.deepEqual(selectExpiredStacks([expiring("acme/test-a", "2026-12-01T00:00:00Z")], NOW).destroy, ["acme/test-a"]);
  });
});

describe("destroy refusal", () => {
  const urn = (name: string) => `urn:pulumi:test-a::etcd-cluster::etcd-cluster:index:EtcdCluster$aws:ebs/volume:Volume::${name}`;

  it("refuses a stack holding protected or retained resources, naming protectData and them", () => {
    const refusal = protectedStackRefusal("test-a", [
      { urn: urn("etcd-test-a-member-0-data"), protect: true, retainOnDelete: true },
      { urn: urn("etcd-test-a-member-0-wal"), retainOnDelete: true },
      { urn: urn("etcd-test-a-member-0-eni") },
    ]);
    assert.match(refusal ?? "", /^refusing to destroy stack test-a: it was deployed with etcd-cluster:protectData: true/);
    assert.match(refusal ?? "", /2 resource\(s\) are protected or retained \(etcd-test-a-member-0-data, etcd-test-a-member-0-wal\)/);
  });

  it("lets a stack without protected or retained resources go", () => {
    assert.equal(protectedStackRefusal("test-a", [{ urn: urn("v"), protect: false, retainOnDelete: false }, { urn: urn("w") }]), undefined);
  });
});
