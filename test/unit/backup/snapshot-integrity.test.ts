import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { verifySnapshotFile } from "../../../ops/etcd-ops/snapshot-integrity";

const dir = mkdtempSync(join(tmpdir(), "snapshot-integrity-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A file laid out as etcd streams a snapshot: whole 4 KiB database pages, then their SHA-256. */
function snapshotLike(pages: number): Buffer {
  const database = randomBytes(pages * 4096);
  return Buffer.concat([database, createHash("sha256").update(database).digest()]);
}

function write(name: string, content: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("verifySnapshotFile", () => {
  it("accepts a file whose appended hash matches its database, and reports the whole file's SHA-256", async () => {
    const content = snapshotLike(5);
    const result = await verifySnapshotFile(write("good.db", content));
    assert.deepEqual(result, { sizeBytes: 5 * 4096 + 32, fileSha256: createHash("sha256").update(content).digest("hex") });
  });

  it("refuses a file with one byte changed", async () => {
    const content = snapshotLike(5);
    content[4096 * 2 + 7] ^= 0x01;
    await assert.rejects(
      verifySnapshotFile(write("corrupt.db", content)),
      /corrupt\.db is corrupt: its database hashes to [0-9a-f]{64}, its integrity hash says [0-9a-f]{64}/,
    );
  });

  it("refuses a truncated file", async () => {
    const content = snapshotLike(5).subarray(0, 3 * 4096 + 100);
    await assert.rejects(verifySnapshotFile(write("truncated.db", content)), /truncated\.db \(12388 bytes\) lacks etcd's integrity hash: truncated/);
  });

  it("refuses a database copied without the hash (member/snap/db)", async () => {
    await assert.rejects(verifySnapshotFile(write("raw.db", randomBytes(4 * 4096))), /lacks etcd's integrity hash/);
  });
});
