import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../../src/core/config";
import { zonesNeededForAzLoss } from "../../../src/core/etcd/topology";
import { readStackConfig, readStackFileConfig, stackNames } from "../../../dev/mock-runtime/stack-files";

describe("stack files", () => {
  it("include dev, staging and prod", () => {
    assert.deepEqual(
      ["dev", "prod", "staging"].filter((stack) => stackNames().includes(stack)),
      ["dev", "prod", "staging"],
    );
  });

  for (const stack of stackNames()) {
    it(`${stack} resolves without problems or warnings`, () => {
      const { config, warnings } = resolveClusterConfig(readStackConfig(stack), stack);
      assert.deepEqual(warnings, []);
      assert.equal(config.clusterName, `etcd-${stack}`);
    });

    it(`${stack} names its AWS region`, () => {
      assert.match(String(readStackFileConfig(stack)["aws:region"]), /^[a-z]{2}(-[a-z]+)+-\d$/);
    });
  }

  it("prod runs 5 protected members over enough AZs to lose one, on a pinned image", () => {
    const { config } = resolveClusterConfig(readStackConfig("prod"), "prod");
    assert.equal(config.members, 5);
    assert.equal(config.protectData, true);
    assert.equal(config.subnetIds.length, zonesNeededForAzLoss(5));
    assert.match(config.ami ?? "", /^ami-/);
    assert.match(config.kmsKeyId ?? "", /^arn:aws:kms:/);
    assert.ok(config.clientSecurityGroupIds.length > 0);
    assert.ok(config.monitoringCidrs.length > 0);
  });

  it("dev can be destroyed without leftovers and keeps backups briefly", () => {
    const { config } = resolveClusterConfig(readStackConfig("dev"), "dev");
    assert.equal(config.protectData, false);
    assert.equal(config.backup.retentionDays, 3);
  });

  it("strips the project namespace and leaves other namespaces out", () => {
    const raw = readStackConfig("dev");
    assert.equal(raw.members, 3);
    assert.equal("aws:region" in raw, false);
    assert.equal("etcd-cluster:members" in raw, false);
  });
});
