import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { clientEndpoints, clientUrl, initialCluster, metricsUrl, peerUrl } from "../../../src/core/member/endpoints";
import { clusterOf } from "./fixtures";

describe("etcd endpoints", () => {
  test("client and peer URLs are https on etcd's ports, metrics plain http on 2381", () => {
    assert.equal(clientUrl("10.0.0.10"), "https://10.0.0.10:2379");
    assert.equal(peerUrl("10.0.0.10"), "https://10.0.0.10:2380");
    assert.equal(metricsUrl("10.0.0.10"), "http://10.0.0.10:2381");
  });

  test("the client endpoints list every member's client URL, comma-separated, in order", () => {
    assert.equal(clientEndpoints(clusterOf(3)), "https://10.0.0.10:2379,https://10.0.1.10:2379,https://10.0.2.10:2379");
  });

  test("initial-cluster pairs each member name with its peer URL", () => {
    assert.equal(initialCluster(clusterOf(2)), "etcd-test-0=https://10.0.0.10:2380,etcd-test-1=https://10.0.1.10:2380");
  });
});
