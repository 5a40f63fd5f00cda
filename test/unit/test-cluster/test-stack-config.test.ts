/** The stack file of a test cluster, made from the dev stack's. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { ClusterConfigError } from "../../../src/core/config/errors";
import { readStackFileConfig } from "../../../dev/mock-runtime/stack-files";
import { testStackConfig, testStackFileText } from "../../../dev/test-cluster/test-stack-config";

const SETTINGS = { name: "pr-7", stack: "test-pr-7", source: "dev", expiresAt: "2026-12-04T11:00:00Z" };

describe("test stack config", () => {
  it("is the dev stack's, unprotected, with tags saying what it is and when it expires", () => {
    const dev = readStackFileConfig("dev");
    const config = testStackConfig(dev, SETTINGS);
    assert.equal(config["etcd-cluster:protectData"], false);
    assert.deepEqual(config["etcd-cluster:tags"], {
      ...(dev["etcd-cluster:tags"] as object),
      environment: "test",
      "test-cluster": "pr-7",
      "expires-at": "2026-12-04T11:00:00Z",
    });
    for (const key of ["aws:region", "etcd-cluster:vpcId", "etcd-cluster:subnetIds", "etcd-cluster:members", "etcd-cluster:instanceType"]) {
      assert.deepEqual(config[key], dev[key], key);
    }
  });

  it("drops a clusterName, so the test cluster's resources never take the source's names", () => {
    const config = testStackConfig({ ...readStackFileConfig("dev"), "etcd-cluster:clusterName": "etcd-dev" }, SETTINGS);
    assert.equal("etcd-cluster:clusterName" in config, false);
  });

  it("is unprotected even when the source stack protects its data", () => {
    assert.equal(testStackConfig({ ...readStackFileConfig("dev"), "etcd-cluster:protectData": true }, SETTINGS)["etcd-cluster:protectData"], false);
  });

  it("is validated like any stack, every problem at once", () => {
    const bad = { ...readStackFileConfig("dev"), "etcd-cluster:members": 4, "etcd-cluster:instanceType": "large" };
    assert.throws(
      () => testStackConfig(bad, SETTINGS),
      (error: unknown) => error instanceof ClusterConfigError && /members/.test(error.message) && /instanceType/.test(error.message),
    );
  });

  it("is written as a stack file that reads back to the same config", () => {
    const config = testStackConfig(readStackFileConfig("dev"), SETTINGS);
    const text = testStackFileText(config, SETTINGS);
    assert.match(text, /^# Test cluster pr-7: created from stack dev by npm run test-cluster, expires 2026-12-04T11:00:00Z\.$/m);
    assert.deepEqual((parse(text) as { config: unknown }).config, config);
  });
});
