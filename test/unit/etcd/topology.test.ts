import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { faultTolerance, faultToleranceLine, memberName, planTopology, quorumSize, zonesNeededForAzLoss } from "../../../src/core/etcd/topology";

describe("fault tolerance", () => {
  test("N members tolerate (N-1)/2 failures: 1→0, 3→1, 5→2, 7→3", () => {
    assert.deepEqual([1, 3, 5, 7].map(faultTolerance), [0, 1, 2, 3]);
  });

  test("the quorum is a majority, floor(N/2)+1: 1→1, 3→2, 5→3, 7→4", () => {
    assert.deepEqual([1, 3, 5, 7].map(quorumSize), [1, 2, 3, 4]);
  });

  test("an even size adds no tolerance: 4 members tolerate 1 failure, like 3", () => {
    assert.equal(faultTolerance(4), faultTolerance(3));
    assert.equal(quorumSize(4), 3);
  });

  test("the output line names size, quorum and tolerated failures", () => {
    assert.equal(faultToleranceLine(5), "5 members: quorum 3, tolerates 2 failed members");
    assert.equal(faultToleranceLine(3), "3 members: quorum 2, tolerates 1 failed member");
    assert.equal(faultToleranceLine(1), "1 member: quorum 1, tolerates 0 failed members");
  });

  test("surviving the loss of a whole AZ needs 3 zones for 3, 5 and 7 members, 1 for a single member", () => {
    assert.deepEqual([1, 3, 5, 7].map(zonesNeededForAzLoss), [1, 3, 3, 3]);
  });
});

describe("planTopology", () => {
  test("spreads members round-robin over the subnets", () => {
    const topology = planTopology("etcd-prod", 5, 3);
    assert.deepEqual(
      topology.members.map((member) => member.subnetIndex),
      [0, 1, 2, 0, 1],
    );
    assert.equal(topology.zoneCount, 3);
  });

  test("names members <cluster>-<index>", () => {
    const topology = planTopology("etcd-prod", 3, 3);
    assert.deepEqual(
      topology.members.map((member) => member.name),
      ["etcd-prod-0", "etcd-prod-1", "etcd-prod-2"],
    );
    assert.equal(memberName("etcd-dev", 4), "etcd-dev-4");
  });

  test("uses no more zones than members", () => {
    const topology = planTopology("etcd-dev", 1, 3);
    assert.equal(topology.zoneCount, 1);
    assert.deepEqual(topology.members, [{ name: "etcd-dev-0", index: 0, subnetIndex: 0 }]);
  });

  test("carries size, quorum and fault tolerance", () => {
    const topology = planTopology("etcd-prod", 7, 3);
    assert.deepEqual([topology.size, topology.quorum, topology.faultTolerance], [7, 4, 3]);
  });
});
