import assert from "node:assert/strict";
import { describe, test } from "node:test";
import semver from "semver";
import {
  DEFRAG_CORRUPTION_FIXED_IN,
  SUPPORTED_ETCD_VERSIONS,
  etcdChecksumSource,
  etcdMinorLine,
  etcdReleaseArtifact,
  etcdReleaseSha256,
  etcdReleaseUrl,
} from "../../../src/core/etcd/versions";

describe("etcd versions", () => {
  test("offers the newest 3.5 and the newest 3.6 release", () => {
    assert.deepEqual(SUPPORTED_ETCD_VERSIONS, ["3.5.33", "3.6.14"]);
  });

  test("every supported version has a SHA-256 for amd64 and for arm64", () => {
    for (const version of SUPPORTED_ETCD_VERSIONS) {
      for (const arch of ["amd64", "arm64"] as const) {
        assert.match(etcdReleaseSha256(version, arch), /^[0-9a-f]{64}$/, `${version} ${arch}`);
      }
    }
  });

  test("every supported version records the repository, file and commit its checksums were read from", () => {
    for (const version of SUPPORTED_ETCD_VERSIONS) {
      const source = etcdChecksumSource(version);
      assert.match(source.repo, /^[\w.-]+\/[\w.-]+$/, version);
      assert.match(source.commit, /^[0-9a-f]{40}$/, version);
      assert.ok(source.path.length > 0 && source.key.length > 0, version);
    }
  });

  test("every supported version has the fix for the defrag/snapshot-apply corruption", () => {
    for (const version of SUPPORTED_ETCD_VERSIONS) {
      assert.ok(semver.gte(version, DEFRAG_CORRUPTION_FIXED_IN[etcdMinorLine(version)]), version);
    }
  });

  test("pins the published checksums of etcd 3.6.14", () => {
    assert.equal(etcdReleaseSha256("3.6.14", "amd64"), "ffe840ff9295808e88cce2794a18a5ac87f12a5203c8314d0bf6aa119b41bac5");
    assert.equal(etcdReleaseSha256("3.6.14", "arm64"), "fa1b80565ee6fc2df1ae6f57a508b221f3ecc7d591c317c581cd8281b0842b3e");
  });

  test("refuses a version without a pinned checksum", () => {
    assert.throws(() => etcdReleaseSha256("3.5.16", "amd64"), /etcd 3\.5\.16 \(amd64\) has no pinned checksum; supported versions: 3\.5\.33, 3\.6\.14/);
  });

  test("tells the minor lines apart and refuses one whose configuration is not rendered", () => {
    assert.equal(etcdMinorLine("3.6.14"), "3.6");
    assert.equal(etcdMinorLine("3.5.33"), "3.5");
    assert.throws(() => etcdMinorLine("3.7.1"), /etcd 3\.7\.1 is of the 3\.7 line; this project renders configurations for 3\.5 and 3\.6 only/);
  });

  test("downloads from the official GitHub release by default", () => {
    assert.equal(etcdReleaseUrl("3.6.14", "arm64"), "https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-arm64.tar.gz");
  });

  test("a mirror keeps the release layout below its base URL", () => {
    assert.equal(etcdReleaseUrl("3.5.33", "amd64", "s3://etcd-mirror/releases/"), "s3://etcd-mirror/releases/v3.5.33/etcd-v3.5.33-linux-amd64.tar.gz");
  });

  test("the release artifact carries the URL and checksum of its version and architecture", () => {
    assert.deepEqual(etcdReleaseArtifact("3.5.33", "arm64"), {
      version: "3.5.33",
      arch: "arm64",
      url: "https://github.com/etcd-io/etcd/releases/download/v3.5.33/etcd-v3.5.33-linux-arm64.tar.gz",
      sha256: "0764c5c0acef155f4bfa0487791cc5776adef66315bf16ec0653883bfd463a90",
    });
  });
});
