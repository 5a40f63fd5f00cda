import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_ETCD_VERSION, DEFAULT_PKI } from "../../../src/core/config";
import { SUPPORTED_ETCD_VERSIONS } from "../../../src/core/etcd/versions";

describe("defaults", () => {
  it("pins the newest supported release of etcd", () => {
    assert.equal(DEFAULT_ETCD_VERSION, SUPPORTED_ETCD_VERSIONS.at(-1));
  });

  it("issues ECDSA P-256 keys, never the tls provider's P224 default", () => {
    assert.deepEqual([DEFAULT_PKI.keyAlgorithm, DEFAULT_PKI.ecdsaCurve], ["ECDSA", "P256"]);
  });
});
