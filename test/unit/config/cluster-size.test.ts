import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../../src/core/config";
import { configWith, onlyProblemOf, SUBNET_A, SUBNET_B } from "./fixtures";

describe("cluster size", () => {
  it("refuses an even size, offering the odd sizes around it", () => {
    assert.deepEqual(onlyProblemOf(configWith({ members: 4 })), {
      key: "etcd-cluster:members",
      message:
        "etcd-cluster:members is 4: an even size tolerates 1 failed member, no more than 3, with a larger quorum (3); " +
        "set 3 (3 members: quorum 2, tolerates 1 failed member) or 5 (5 members: quorum 3, tolerates 2 failed members)",
    });
  });

  it("refuses more than 7 members", () => {
    assert.deepEqual(onlyProblemOf(configWith({ members: 9 })), {
      key: "etcd-cluster:members",
      message:
        "etcd-cluster:members is 9: above 7: every write waits for a quorum of 5 for little gain; " +
        "set 5 (5 members: quorum 3, tolerates 2 failed members) or 7 (7 members: quorum 4, tolerates 3 failed members)",
    });
  });

  it("refuses a single member unless allowSingleMember says so", () => {
    assert.deepEqual(onlyProblemOf(configWith({ members: 1 })), {
      key: "etcd-cluster:members",
      message:
        "etcd-cluster:members is 1: a single member tolerates no failure; " +
        "set 3, or set etcd-cluster:allowSingleMember to true for a throw-away dev or test cluster",
    });
  });

  it("accepts a single member when allowSingleMember is true", () => {
    const { config } = resolveClusterConfig(configWith({ members: 1, allowSingleMember: true }), "test");
    assert.equal(config.members, 1);
  });

  it("refuses a member count written as text", () => {
    assert.deepEqual(onlyProblemOf(configWith({ members: "three" })), {
      key: "etcd-cluster:members",
      message: 'etcd-cluster:members is "three": expected a number; write it without quotes',
    });
  });
});

describe("AZ spread", () => {
  const fiveMembersInTwoZones = { members: 5, subnetIds: [SUBNET_A, SUBNET_B] };
  const spreadMessage =
    `etcd-cluster:subnetIds is ["${SUBNET_A}","${SUBNET_B}"]: 5 members need subnets in 3 AZs so that losing one AZ ` +
    "keeps a quorum of 3, but 2 are listed; add subnets in other AZs, one per AZ, up to 3";

  it("warns when fewer subnets than the size needs to survive an AZ loss", () => {
    const { warnings } = resolveClusterConfig(configWith(fiveMembersInTwoZones), "test");
    assert.deepEqual(warnings, [{ key: "etcd-cluster:subnetIds", message: spreadMessage }]);
  });

  it("refuses too few subnets where protectData is true", () => {
    assert.deepEqual(onlyProblemOf(configWith({ ...fiveMembersInTwoZones, protectData: true, clusterName: "etcd-test" })), {
      key: "etcd-cluster:subnetIds",
      message: `${spreadMessage} (an error because etcd-cluster:protectData is true)`,
    });
  });

  it("refuses a subnet listed twice, naming its first occurrence", () => {
    assert.deepEqual(onlyProblemOf(configWith({ subnetIds: [SUBNET_A, SUBNET_B, SUBNET_A] })), {
      key: "etcd-cluster:subnetIds[2]",
      message: `etcd-cluster:subnetIds[2] is "${SUBNET_A}": repeats entry [0]; list each subnet once`,
    });
  });

  it("refuses an empty subnet list", () => {
    assert.deepEqual(onlyProblemOf(configWith({ subnetIds: [] })), {
      key: "etcd-cluster:subnetIds",
      message: "etcd-cluster:subnetIds is []: needs at least 1 entry; add the missing ones",
    });
  });
});
