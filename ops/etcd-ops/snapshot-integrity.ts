/**
 * The integrity check of an etcd snapshot file: etcd appends the SHA-256 of the database to the
 * snapshot it streams (`Maintenance.Snapshot`, `etcdctl snapshot save`), and `etcdutl snapshot
 * restore` refuses a file whose hash does not match. Checking it here refuses a truncated or altered
 * file before anyone relies on it.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";

/** Length of the appended SHA-256. */
export const SNAPSHOT_HASH_BYTES = 32;

/**
 * The database is whole pages, so a file with the hash is 32 bytes past a multiple of 512: etcdutl's
 * own test for "has a hash" (`size % 512 == sha256.Size`).
 */
const SNAPSHOT_ALIGNMENT_BYTES = 512;

/** A snapshot file that passed the check. */
export interface SnapshotIntegrity {
  readonly sizeBytes: number;
  /** SHA-256 of the whole file (hex): what the backup script stores as the object's `sha256` metadata. */
  readonly fileSha256: string;
}

async function readTrailer(path: string, size: number): Promise<Buffer> {
  const file = await open(path, "r");
  try {
    const trailer = Buffer.alloc(SNAPSHOT_HASH_BYTES);
    await file.read(trailer, 0, SNAPSHOT_HASH_BYTES, size - SNAPSHOT_HASH_BYTES);
    return trailer;
  } finally {
    await file.close();
  }
}

/** Checks the file's appended hash; throws an error saying what is wrong (truncated, corrupt). */
export async function verifySnapshotFile(path: string): Promise<SnapshotIntegrity> {
  const { size } = await stat(path);
  if (size < SNAPSHOT_ALIGNMENT_BYTES || size % SNAPSHOT_ALIGNMENT_BYTES !== SNAPSHOT_HASH_BYTES) {
    throw new Error(`${path} (${size} bytes) lacks etcd's integrity hash: truncated, or not a snapshot streamed by etcd`);
  }
  const database = createHash("sha256");
  const whole = createHash("sha256");
  for await (const chunk of createReadStream(path, { end: size - SNAPSHOT_HASH_BYTES - 1 })) {
    database.update(chunk as Buffer);
    whole.update(chunk as Buffer);
  }
  const trailer = await readTrailer(path, size);
  const digest = database.digest();
  if (!digest.equals(trailer)) {
    throw new Error(`${path} is corrupt: its database hashes to ${digest.toString("hex")}, its integrity hash says ${trailer.toString("hex")}`);
  }
  return { sizeBytes: size, fileSha256: whole.update(trailer).digest("hex") };
}
