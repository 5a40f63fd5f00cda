import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  SUPPORTED_ETCD_VERSIONS,
  etcdReleaseArtifact,
  etcdReleaseSha256,
  etcdReleaseUrl,
  isEtcd36,
} from "../../../components/etcd/versions";

describe("etcd versions", () => {
  test("every supported version has a SHA-256 for amd64 and for arm64", () => {
    for (const version of SUPPORTED_ETCD_VERSIONS) {
      for (const arch of ["amd64", "arm64"] as const) {
        assert.match(etcdReleaseSha256(version, arch), /^[0-9a-f]{64}$/, `${version} ${arch}`);
      }
    }
  });

  test("supports 3.5 only from 3.5.14 on, where allowed-cn and allowed-hostname are read from the config file", () => {
    for (const version of SUPPORTED_ETCD_VERSIONS.filter((v) => v.startsWith("3.5."))) {
      assert.ok(Number(version.split(".")[2]) >= 14, version);
    }
  });

  test("supports the 3.5.16 release the tests run and at least one 3.6 release", () => {
    assert.ok(SUPPORTED_ETCD_VERSIONS.includes("3.5.16"));
    assert.ok(SUPPORTED_ETCD_VERSIONS.some(isEtcd36));
  });

  test("pins the published checksum of etcd 3.5.16 for amd64", () => {
    assert.equal(etcdReleaseSha256("3.5.16", "amd64"), "b414b27a5ad05f7cb01395c447c85d3227e3fb1c176e51757a283b817f645ccc");
  });

  test("refuses a version without a pinned checksum", () => {
    assert.throws(() => etcdReleaseSha256("3.5.13", "amd64"), /etcd 3\.5\.13 \(amd64\) has no pinned checksum/);
  });

  test("tells 3.6 from 3.5", () => {
    assert.equal(isEtcd36("3.6.5"), true);
    assert.equal(isEtcd36("3.5.16"), false);
  });

  test("downloads from the official GitHub release by default", () => {
    assert.equal(
      etcdReleaseUrl("3.5.16", "arm64"),
      "https://github.com/etcd-io/etcd/releases/download/v3.5.16/etcd-v3.5.16-linux-arm64.tar.gz",
    );
  });

  test("a mirror keeps the release layout below its base URL", () => {
    assert.equal(
      etcdReleaseUrl("3.5.16", "amd64", "s3://etcd-mirror/releases/"),
      "s3://etcd-mirror/releases/v3.5.16/etcd-v3.5.16-linux-amd64.tar.gz",
    );
  });

  test("the release artifact carries the URL and checksum of its version and architecture", () => {
    assert.deepEqual(etcdReleaseArtifact("3.6.5", "arm64"), {
      version: "3.6.5",
      arch: "arm64",
      url: "https://github.com/etcd-io/etcd/releases/download/v3.6.5/etcd-v3.6.5-linux-arm64.tar.gz",
      sha256: "7010161787077b07de29b15b76825ceacbbcedcb77fe2e6832f509be102cab6b",
    });
  });
});
