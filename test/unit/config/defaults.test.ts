import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_ETCD_VERSION, DEFAULT_PKI } from "../../../components/config";
import { SUPPORTED_ETCD_VERSIONS } from "../../../components/etcd/versions";

function patchOf35(version: string): number | undefined {
  const match = /^3\.5\.(\d+)$/.exec(version);
  return match ? Number(match[1]) : undefined;
}

describe("defaults", () => {
  it("pins the newest supported 3.5 release of etcd", () => {
    const patches = SUPPORTED_ETCD_VERSIONS.map(patchOf35).filter((patch) => patch !== undefined);
    assert.equal(DEFAULT_ETCD_VERSION, `3.5.${Math.max(...patches)}`);
  });

  it("issues ECDSA P-256 keys, never the tls provider's P224 default", () => {
    assert.deepEqual([DEFAULT_PKI.keyAlgorithm, DEFAULT_PKI.ecdsaCurve], ["ECDSA", "P256"]);
  });
});
