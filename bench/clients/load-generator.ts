/**
 * The load generator, run as its own process in a cluster's hub namespace: `concurrency` writers
 * put 256-byte values under distinct keys as fast as the cluster acknowledges, for a warm-up and
 * then for the measured window; prints throughput and latency percentiles of the window as JSON.
 *
 * Usage: node --import tsx load-generator.ts '<LoadOptions as JSON>'
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { percentile } from "../stats";
import { hubArgument, hubClient, runHubMain, type HubClientOptions } from "./client-options";

export interface LoadOptions extends HubClientOptions {
  /** Requests in flight at any time. */
  readonly concurrency: number;
  /** Unmeasured start (connections, leader caches), then the measured window. */
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface LoadResult {
  /** Acknowledged writes per second in the measured window. */
  readonly writesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Failed requests in the window (none expected on a healthy cluster). */
  readonly failures: number;
}

/** Same value size as `etcdctl check perf`. */
const VALUE_BYTES = 256;
/** A put that takes longer counts as failed, so a stuck cluster ends the run. */
const PUT_DEADLINE_MS = 5_000;

async function main(options: LoadOptions): Promise<LoadResult> {
  const client = hubClient(options);
  const value = randomBytes(VALUE_BYTES);
  const measureFrom = performance.now() + options.warmupMs;
  const measureUntil = measureFrom + options.durationMs;
  const latencies: number[] = [];
  let failures = 0;
  let sequence = 0;
  const writer = async (): Promise<void> => {
    while (performance.now() < measureUntil) {
      const started = performance.now();
      try {
        await client
          .put(`bench/load/${sequence++}`)
          .value(value)
          .options({ deadline: Date.now() + PUT_DEADLINE_MS });
        if (started >= measureFrom) latencies.push(performance.now() - started);
      } catch {
        if (started >= measureFrom) failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, writer));
  client.close();
  if (latencies.length === 0) throw new Error(`no write acknowledged in ${options.durationMs} ms (${failures} failed)`);
  return {
    writesPerSecond: latencies.length / (options.durationMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    failures,
  };
}

runHubMain("load-generator", () => main(hubArgument<LoadOptions>("usage: load-generator.ts '<LoadOptions JSON>'")));
