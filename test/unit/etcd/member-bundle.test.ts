import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { memberBundleKey, packMemberBundle } from "../../../src/core/member/member-bundle";
import { renderMemberFiles } from "../../../src/core/member/member-files";
import { bundleArchiveFiles } from "../../../dev/mock-runtime/received-files";
import { clusterOf, memberFilesInput } from "./fixtures";

const files = renderMemberFiles(memberFilesInput(clusterOf(3), 0));
const bundle = packMemberBundle(files);

/** The 512-byte ustar headers of the archive's entries, in order. */
function headers(archive: Uint8Array): Buffer[] {
  const tar = gunzipSync(archive);
  const found: Buffer[] = [];
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    found.push(header);
    const size = parseInt(header.subarray(124, 136).toString("latin1").replace(/\0.*$/, "").trim(), 8);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return found;
}

const field = (header: Buffer, start: number, length: number) =>
  header
    .subarray(start, start + length)
    .toString("latin1")
    .replace(/\0.*$/s, "")
    .trim();

describe("a member's bundle", () => {
  test("holds every file of the member, byte for byte, with its mode", () => {
    assert.deepEqual(
      bundleArchiveFiles(bundle.archive).map((file) => [file.path, file.permissions, file.content]),
      files.map((file) => [file.path, file.mode, file.content]),
    );
  });

  test("is named by the SHA-256 of its bytes", () => {
    assert.equal(bundle.sha256, createHash("sha256").update(bundle.archive).digest("hex"));
  });

  test("packs the same files to the same bytes every time", () => {
    assert.deepEqual(packMemberBundle(renderMemberFiles(memberFilesInput(clusterOf(3), 0))).archive, bundle.archive);
  });

  test("carries no time and no build user: gzip MTIME 0, every entry mtime 0 and owner 0:0 root:root", () => {
    assert.equal(Buffer.from(bundle.archive).readUInt32LE(4), 0, "gzip MTIME");
    const entries = headers(bundle.archive);
    assert.equal(entries.length, files.length);
    for (const header of entries) {
      const name = field(header, 0, 100);
      assert.deepEqual(
        [field(header, 108, 8), field(header, 116, 8), field(header, 136, 12), field(header, 265, 32), field(header, 297, 32), field(header, 156, 1)],
        ["0000000", "0000000", "00000000000", "root", "root", "0"],
        name,
      );
    }
  });

  test("unpacks with GNU tar, as the bootstrap does, to the files with their modes", (t) => {
    const root = mkdtempSync(join(tmpdir(), "etcd-bundle-"));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const archive = join(root, "bundle.tar.gz");
    writeFileSync(archive, bundle.archive);
    const result = spawnSync("tar", ["-xzf", archive, "-C", root, "--no-same-owner", "--touch"], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    for (const file of files) {
      assert.equal(readFileSync(join(root, file.path), "utf8"), file.content, file.path);
      assert.equal((statSync(join(root, file.path)).mode & 0o7777).toString(8).padStart(4, "0"), file.mode, file.path);
    }
  });

  test("refuses a path a tar header cannot hold, and a relative one", () => {
    assert.throws(() => packMemberBundle([{ path: `/etc/${"a".repeat(100)}`, mode: "0644", content: "" }]), /longer than a tar header holds/);
    assert.throws(() => packMemberBundle([{ path: "etc/x", mode: "0644", content: "" }]), /must be absolute/);
  });

  test("lives under its member's prefix, named by its digest", () => {
    assert.equal(memberBundleKey("etcd-prod", "etcd-prod-2", bundle.sha256), `etcd-prod/members/etcd-prod-2/bundle-${bundle.sha256}.tar.gz`);
  });
});
