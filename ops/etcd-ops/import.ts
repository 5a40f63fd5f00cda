/**
 * `etcd-ops import --in <file> [--force]`: writes an export file's keys back, in batched
 * transactions. The whole file is verified first, so a corrupt or truncated file writes nothing.
 */
import type { Etcd3 } from "etcd3";
import { connect, type ClusterAccess } from "./cluster-access";
import { readExportFile, verifyExportFile } from "./export-file";
import type { ExportedKey } from "./export-format";
import { prefixRange } from "./key-range";
import { PROGRESS_EVERY_KEYS, Progress } from "./progress";

export interface ImportOptions {
  /** The export file to read. */
  readonly in: string;
  /** Write even when the target prefix already holds keys (they are overwritten or kept beside). */
  readonly force: boolean;
}

/** Puts per transaction: etcd's default `max-txn-ops` (128). */
export const IMPORT_BATCH_KEYS = 128;

/** Key and value bytes per transaction, well below etcd's default `max-request-bytes` (1.5 MiB). */
export const IMPORT_BATCH_BYTES = 1024 * 1024;

/** Collects puts and sends them as one transaction when the batch is full. */
class PutBatcher {
  private puts: { key: Buffer; value: Buffer }[] = [];
  private bytes = 0;
  written = 0;

  constructor(private readonly client: Etcd3) {}

  async add(key: Buffer, value: Buffer): Promise<void> {
    if (this.puts.length === IMPORT_BATCH_KEYS || (this.puts.length > 0 && this.bytes + key.length + value.length > IMPORT_BATCH_BYTES)) {
      await this.flush();
    }
    this.puts.push({ key, value });
    this.bytes += key.length + value.length;
  }

  async flush(): Promise<void> {
    if (this.puts.length === 0) return;
    await this.client.kv.txn({ success: this.puts.map((put) => ({ request_put: put })) });
    this.written += this.puts.length;
    this.puts = [];
    this.bytes = 0;
  }
}

/** Imports the file; exit code 0, 1 when refused (prefix not empty), or throws (bad file, write failure). */
export async function runImport(access: ClusterAccess, options: ImportOptions): Promise<number> {
  const started = Date.now();
  const verified = await verifyExportFile(options.in);
  const prefix = Buffer.from(verified.header.prefix, "base64");
  process.stderr.write(
    `import: ${options.in} is intact: ${verified.keyCount} keys under prefix "${prefix.toString("utf8")}" ` +
      `from revision ${verified.header.revision}, checksum ${verified.checksum}\n`,
  );
  const client = connect(access);
  try {
    const { key, rangeEnd } = prefixRange(prefix);
    const existing = Number((await client.kv.range({ key, range_end: rangeEnd, count_only: true })).count);
    if (existing > 0 && !options.force) {
      process.stderr.write(
        `import: refused: prefix "${prefix.toString("utf8")}" already holds ${existing} keys in the target cluster; ` +
          `import into an empty prefix, or pass --force to write over them\n`,
      );
      return 1;
    }
    const batcher = new PutBatcher(client);
    const progress = new Progress("import", PROGRESS_EVERY_KEYS);
    let withLease = 0;
    const imported = await readExportFile(options.in, async (entry: ExportedKey) => {
      await batcher.add(Buffer.from(entry.key, "base64"), Buffer.from(entry.value, "base64"));
      if (entry.lease !== "0") withLease += 1;
      progress.update(batcher.written, () => `${batcher.written} of ${verified.keyCount} keys written`);
    });
    await batcher.flush();
    if (imported.checksum !== verified.checksum) {
      throw new Error(`${options.in} changed while it was imported (checksum ${verified.checksum}, then ${imported.checksum})`);
    }
    if (withLease > 0) {
      process.stderr.write(`import: ${withLease} keys had a lease in the source cluster; leases do not carry over, they were written without one\n`);
    }
    process.stdout.write(`imported ${batcher.written} keys from ${options.in} in ${Date.now() - started} ms\n`);
    return 0;
  } finally {
    client.close();
  }
}
