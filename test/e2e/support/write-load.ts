/**
 * A write load, run as its own process in the hub namespace (where the members are reachable):
 * several writers put distinct keys `<prefix>/<n>` through the etcd3 client and print each key on
 * stdout once etcd acknowledged it. On SIGTERM the writers finish their in-flight puts and the
 * process exits, so every printed key was acknowledged and every acknowledged key was printed.
 *
 * Usage: node --import tsx write-load.ts '<WriteLoadOptions as JSON>'
 */
import { connectWithIdentityFiles, RETRY_THROUGH_RESTARTS_MS, type EtcdClientOptions } from "./etcd-client";

/** What the load writes and how it connects. */
export interface WriteLoadOptions extends EtcdClientOptions {
  /** Keys are `<prefix>/<sequence number, zero-padded>`. */
  readonly prefix: string;
  /** Concurrent writers: several puts are in flight when the members are killed. */
  readonly writers: number;
}

/** Per-put deadline, so a put to a dead cluster fails instead of hanging the shutdown; longer when retried through restarts. */
const PUT_DEADLINE_MS = 2_000;

async function main(options: WriteLoadOptions): Promise<void> {
  const client = connectWithIdentityFiles(options);
  let stopping = false;
  process.once("SIGTERM", () => {
    stopping = true;
  });
  const deadlineMs = options.retryThroughRestarts === true ? RETRY_THROUGH_RESTARTS_MS : PUT_DEADLINE_MS;
  let next = 0;
  let failures = 0;
  /** How many puts failed with each error message, for the report. */
  const reasons = new Map<string, number>();
  const writer = async (): Promise<void> => {
    while (!stopping) {
      const key = `${options.prefix}/${String(next++).padStart(8, "0")}`;
      try {
        await client
          .put(key)
          .value(key)
          .options({ deadline: Date.now() + deadlineMs });
        process.stdout.write(`${key}\n`);
      } catch (error) {
        failures++;
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: options.writers }, writer));
  client.close();
  for (const [reason, count] of reasons) process.stderr.write(`write-load: ${count} × ${reason}\n`);
  process.stderr.write(`write-load: ${failures} puts failed\n`);
}

void main(JSON.parse(process.argv[2] ?? "{}") as WriteLoadOptions);
