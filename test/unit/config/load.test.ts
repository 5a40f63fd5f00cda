import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConfigError, resolveClusterConfig } from "../../../src/core/config";
import { rawConfigFromPulumi, readClusterConfig } from "../../../src/pulumi/stack-config";
import { pulumiConfigFromStackFile, readStackConfig } from "../../../dev/mock-runtime/stack-files";

describe("rawConfigFromPulumi", () => {
  it("decodes numbers, booleans, lists and maps from Pulumi's strings, and only the project's keys", () => {
    const raw = rawConfigFromPulumi({
      "aws:region": "eu-west-1",
      "etcd-cluster:members": "5",
      "etcd-cluster:protectData": "true",
      "etcd-cluster:subnetIds": '["subnet-0a1b2c3d4e5f60718"]',
      "etcd-cluster:dataVolume": '{"sizeGiB":128}',
      "etcd-cluster:etcdVersion": "3.5",
    });
    assert.deepEqual(raw, {
      members: 5,
      protectData: true,
      subnetIds: ["subnet-0a1b2c3d4e5f60718"],
      dataVolume: { sizeGiB: 128 },
      etcdVersion: "3.5",
    });
  });

  it("keeps text that does not decode, for the schema to report", () => {
    const raw = rawConfigFromPulumi({ "etcd-cluster:members": "five", "etcd-cluster:tuning": "{peerRttMs: 2}" });
    assert.deepEqual(raw, { members: "five", tuning: "{peerRttMs: 2}" });
  });
});

describe("readClusterConfig", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }),
        call: (args) => args.inputs as Record<string, unknown>,
      },
      "etcd-cluster",
      "prod",
    );
  });

  it("reads the stack's config as the Pulumi CLI passes it, the same as from the stack file", () => {
    pulumi.runtime.setAllConfig(pulumiConfigFromStackFile("prod"));
    assert.deepEqual(readClusterConfig(), resolveClusterConfig(readStackConfig("prod"), "prod"));
  });

  it("reports an unknown key of the project's namespace instead of ignoring it", () => {
    pulumi.runtime.setAllConfig({ ...pulumiConfigFromStackFile("prod"), "etcd-cluster:member": "5" });
    assert.throws(readClusterConfig, (error: unknown) => {
      assert.ok(error instanceof ClusterConfigError);
      assert.deepEqual(
        error.problems.map((problem) => problem.key),
        ["etcd-cluster:member"],
      );
      return true;
    });
  });
});
