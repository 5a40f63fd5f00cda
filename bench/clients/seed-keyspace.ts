/**
 * Fills a cluster with `totalBytes` of incompressible values (`valueBytes` each, a few puts in
 * flight), run in the hub namespace; prints the number of keys written.
 *
 * Usage: node --import tsx seed-keyspace.ts '<SeedOptions as JSON>'
 */
import { randomBytes } from "node:crypto";
import { hubArgument, hubClient, runHubMain, type HubClientOptions } from "./client-options";

export interface SeedOptions extends HubClientOptions {
  readonly totalBytes: number;
  readonly valueBytes: number;
}

const IN_FLIGHT = 4;
const PUT_DEADLINE_MS = 30_000;

async function main(options: SeedOptions): Promise<{ keys: number }> {
  const client = hubClient(options);
  const keys = Math.ceil(options.totalBytes / options.valueBytes);
  let next = 0;
  const writer = async (): Promise<void> => {
    for (let index = next++; index < keys; index = next++) {
      await client
        .put(`bench/snapshot/${String(index).padStart(6, "0")}`)
        .value(randomBytes(options.valueBytes))
        .options({ deadline: Date.now() + PUT_DEADLINE_MS });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  client.close();
  return { keys };
}

runHubMain("seed-keyspace", () => main(hubArgument<SeedOptions>("usage: seed-keyspace.ts '<SeedOptions JSON>'")));
