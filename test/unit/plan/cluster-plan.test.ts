import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { resolveClusterConfig } from "../../../src/core/config";
import { planCluster } from "../../../src/core/plan/cluster-plan";
import { configWith, SUBNET_A, SUBNET_B, SUBNET_C } from "../config/fixtures";

const GiB = 1024 ** 3;

function planOf(overrides: Readonly<Record<string, unknown>>) {
  return planCluster(resolveClusterConfig(configWith({ clusterName: "etcd-prod", ...overrides }), "prod").config);
}

describe("planCluster: members", () => {
  test("five members over three subnets are placed round-robin, each with its own SSM path", () => {
    const plan = planOf({ members: 5 });
    assert.deepEqual(
      plan.members.map((member) => [member.name, member.index, member.subnetId, member.parameterPath]),
      [
        ["etcd-prod-0", 0, SUBNET_A, "/etcd/etcd-prod/members/etcd-prod-0"],
        ["etcd-prod-1", 1, SUBNET_B, "/etcd/etcd-prod/members/etcd-prod-1"],
        ["etcd-prod-2", 2, SUBNET_C, "/etcd/etcd-prod/members/etcd-prod-2"],
        ["etcd-prod-3", 3, SUBNET_A, "/etcd/etcd-prod/members/etcd-prod-3"],
        ["etcd-prod-4", 4, SUBNET_B, "/etcd/etcd-prod/members/etcd-prod-4"],
      ],
    );
    assert.equal(plan.quorum, 3);
    assert.equal(plan.faultToleranceLine, "5 members: quorum 3, tolerates 2 failed members");
  });

  test("at bootstrap the members before the quorum's last wait until started, the rest until healthy", () => {
    const plan = planOf({ members: 5 });
    assert.deepEqual(
      plan.members.map((member) => member.gateConditionAtCreate),
      ["started", "started", "healthy", "healthy", "healthy"],
    );
  });

  test("the first member runs removals; the cluster name is the initial-cluster-token", () => {
    const plan = planOf({ members: 3 });
    assert.equal(plan.removalRunsOn, "etcd-prod-0");
    assert.equal(plan.clusterToken, "etcd-prod");
    assert.equal(plan.caParameterName, "/etcd/etcd-prod/ca.crt");
  });
});

describe("planCluster: what every member runs", () => {
  test("a Graviton instance type gets the arm64 etcd tarball of the pinned version", () => {
    const plan = planOf({ instanceType: "m7g.large", etcdVersion: "3.5.33" });
    assert.equal(plan.architecture, "arm64");
    assert.equal(plan.etcd.version, "3.5.33");
    assert.equal(plan.etcd.url, "https://github.com/etcd-io/etcd/releases/download/v3.5.33/etcd-v3.5.33-linux-arm64.tar.gz");
  });

  test("the backend quota is half the data volume and the timing follows the peer RTT", () => {
    const plan = planOf({ dataVolume: { sizeGiB: 10 }, tuning: { peerRttMs: 150 } });
    assert.equal(plan.tuning.quotaBackendBytes, 5 * GiB);
    assert.equal(plan.tuning.heartbeatIntervalMs, 150);
    assert.equal(plan.tuning.electionTimeoutMs, 1500);
  });

  test("the operating limits are the derived quota, the schedule's interval and the renewal window", () => {
    const plan = planOf({ dataVolume: { sizeGiB: 10 }, backup: { snapshotSchedule: "hourly" }, pki: { earlyRenewalHours: 48 } });
    assert.deepEqual(plan.operatingLimits, { quotaBackendBytes: 5 * GiB, backupIntervalSeconds: 3600, certificateRenewalHours: 48 });
  });
});
