import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClusterConfigError, DEFAULT_BACKUP, DEFAULT_PKI, DEFAULT_TUNING, resolveClusterConfig } from "../../../src/core/config";
import { configWith, MINIMAL_CONFIG, onlyProblemOf, problemsOf, SUBNET_A, SUBNET_B, SUBNET_C } from "./fixtures";

describe("resolveClusterConfig", () => {
  it("fills every default around the required keys", () => {
    const { config, warnings } = resolveClusterConfig(MINIMAL_CONFIG, "dev");
    assert.deepEqual(warnings, []);
    assert.deepEqual(config, {
      clusterName: "etcd-dev",
      members: 3,
      allowSingleMember: false,
      protectData: false,
      allowMemberReplacement: false,
      vpcId: "vpc-0a1b2c3d4e5f60718",
      subnetIds: [SUBNET_A, SUBNET_B, SUBNET_C],
      instanceType: "m6i.large",
      osImage: "al2023",
      etcdVersion: "3.6.14",
      dataVolume: { sizeGiB: 64, iops: 3000, throughputMiBps: 125 },
      walVolume: { sizeGiB: 32, iops: 3000, throughputMiBps: 125 },
      clientCidrs: [],
      clientSecurityGroupIds: [],
      monitoringCidrs: [],
      tuning: DEFAULT_TUNING,
      pki: DEFAULT_PKI,
      backup: DEFAULT_BACKUP,
      tags: {},
    });
  });

  it("keeps the defaults of a section's other settings when one is set", () => {
    const { config } = resolveClusterConfig(configWith({ dataVolume: { sizeGiB: 128 }, backup: { retentionDays: 3 } }), "dev");
    assert.deepEqual(config.dataVolume, { sizeGiB: 128, iops: 3000, throughputMiBps: 125 });
    assert.deepEqual(config.backup, { ...DEFAULT_BACKUP, retentionDays: 3 });
  });

  it("names the cluster after the stack unless clusterName is set", () => {
    assert.equal(resolveClusterConfig(MINIMAL_CONFIG, "staging").config.clusterName, "etcd-staging");
    assert.equal(resolveClusterConfig(configWith({ clusterName: "k8s-main" }), "staging").config.clusterName, "k8s-main");
  });

  it("refuses an etcd version without pinned checksums", () => {
    assert.deepEqual(onlyProblemOf(configWith({ etcdVersion: "3.4.30" })), {
      key: "etcd-cluster:etcdVersion",
      message:
        'etcd-cluster:etcdVersion is "3.4.30": not a supported etcd release (supported: those with pinned checksums, ' +
        "3.5.33, 3.6.14); set one of them, e.g. 3.6.14",
    });
  });

  it("reports a missing required key", () => {
    assert.deepEqual(problemsOf({ subnetIds: [SUBNET_A, SUBNET_B, SUBNET_C] }), [
      {
        key: "etcd-cluster:vpcId",
        message: "etcd-cluster:vpcId is not set: required; set it in the stack's config file (stacks/Pulumi.<stack>.yaml) or with `pulumi config set`",
      },
    ]);
  });
});

describe("unknown keys", () => {
  it("refuses a misspelt top-level key instead of ignoring it", () => {
    const problem = onlyProblemOf(configWith({ dataVolum: { sizeGiB: 64 } }));
    assert.equal(problem.key, "etcd-cluster:dataVolum");
    assert.match(
      problem.message,
      /^etcd-cluster:dataVolum is \{"sizeGiB":64\}: not a known key; remove it or correct its spelling \(keys here: clusterName, members, .*dataVolume, walVolume/,
    );
  });

  it("refuses a misspelt key inside a section, listing that section's keys", () => {
    assert.deepEqual(onlyProblemOf(configWith({ walVolume: { iop: 4000 } })), {
      key: "etcd-cluster:walVolume.iop",
      message: "etcd-cluster:walVolume.iop is 4000: not a known key; remove it or correct its spelling (keys here: sizeGiB, iops, throughputMiBps)",
    });
  });
});

describe("all problems at once", () => {
  const raw = configWith({
    members: 4,
    vpcId: "vpc-xyz",
    walVolume: { sizeGiB: 8, iops: 6000 },
    tuning: { heartbeatIntervalMs: 200, electionTimeoutMs: 800 },
    monitoringCidrs: ["10.0.0.1/8"],
    dataVolum: {},
  });

  it("reports schema problems and cross-key rules together, one line each", () => {
    assert.deepEqual(
      problemsOf(raw).map((problem) => problem.key),
      [
        "etcd-cluster:members",
        "etcd-cluster:vpcId",
        "etcd-cluster:walVolume.iops",
        "etcd-cluster:monitoringCidrs[0]",
        "etcd-cluster:dataVolum",
        "etcd-cluster:tuning.electionTimeoutMs",
      ],
    );
  });

  it("runs a cross-key rule whenever the keys it reads are valid, whatever else is wrong", () => {
    const problems = problemsOf(configWith({ vpcId: "vpc-xyz", members: 5, protectData: true, clusterName: "etcd-test", subnetIds: [SUBNET_A] }));
    assert.deepEqual(
      problems.map((problem) => problem.key),
      ["etcd-cluster:vpcId", "etcd-cluster:subnetIds"],
    );
  });

  it("refuses a protected stack whose cluster name is the default, which a stack rename would change", () => {
    assert.deepEqual(onlyProblemOf(configWith({ protectData: true }), "prod"), {
      key: "etcd-cluster:clusterName",
      message:
        "etcd-cluster:clusterName is not set: etcd-cluster:protectData is true, so the name must be written in the stack file: the default, " +
        "etcd-prod, changes with a stack rename, and a new name replaces every resource and member (new addresses, new volumes); " +
        "set etcd-cluster:clusterName: etcd-prod",
    });
    assert.equal(resolveClusterConfig(configWith({ protectData: true, clusterName: "etcd-prod" }), "prod").config.clusterName, "etcd-prod");
  });

  it("throws one ClusterConfigError whose message lists every problem on its own line", () => {
    assert.throws(
      () => resolveClusterConfig(raw, "test"),
      (error: unknown) => {
        assert.ok(error instanceof ClusterConfigError);
        const lines = error.message.split("\n");
        assert.equal(lines[0], "The stack config has 6 problems:");
        assert.deepEqual(
          lines.slice(1),
          error.problems.map((problem) => `  - ${problem.message}`),
        );
        return true;
      },
    );
  });
});
