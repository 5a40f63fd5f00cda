/**
 * Writes `count` keys `<prefix><index, zero-padded>` with binary values (every byte value occurs,
 * lengths 1 to 512), in transactions of SEED_BATCH_KEYS puts. Run as its own process in the hub
 * namespace, where the members are reachable. Values are a pure function of the index, so two
 * runs write the same keyspace.
 *
 * Usage: node --import tsx seed-keys.ts '<SeedOptions as JSON>'
 */
import { createHash } from "node:crypto";
import { connectWithIdentityFiles, type EtcdClientOptions } from "../support/etcd-client";

/** What the seed writes and how it connects. */
export interface SeedOptions extends EtcdClientOptions {
  /** Keys are `<prefix><index, zero-padded to the width of count>`. */
  readonly prefix: string;
  /** How many keys to write (indexes 0 to count - 1). */
  readonly count: number;
}

const SEED_BATCH_KEYS = 100;
const MAX_VALUE_BYTES = 512;

/** The value of key number `index`: SHA-256 blocks of the index, cut to a length between 1 and 512. */
export function seedValue(index: number): Buffer {
  const length = 1 + ((index * 7919) % MAX_VALUE_BYTES);
  const block = createHash("sha256").update(String(index)).digest();
  return Buffer.concat(Array.from({ length: Math.ceil(length / block.length) }, () => block)).subarray(0, length);
}

async function main(options: SeedOptions): Promise<void> {
  const client = connectWithIdentityFiles(options);
  const width = String(options.count).length;
  for (let start = 0; start < options.count; start += SEED_BATCH_KEYS) {
    const indexes = Array.from({ length: Math.min(SEED_BATCH_KEYS, options.count - start) }, (_, offset) => start + offset);
    await client.kv.txn({
      success: indexes.map((index) => ({
        request_put: { key: Buffer.from(`${options.prefix}${String(index).padStart(width, "0")}`), value: seedValue(index) },
      })),
    });
  }
  client.close();
}

main(JSON.parse(process.argv[2] ?? "{}") as SeedOptions).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`seed-keys: ${String(error)}\n`);
    process.exit(1);
  },
);
