/**
 * Figure 4a, throughput and latency under a fixed concurrent load: the same load generator
 * (bench/clients/load-generator.ts, from the hub namespace) against the rendered TLS cluster and the
 * reference plaintext cluster, both booted once and loaded alternately.
 */
import { readFileSync } from "node:fs";
import type { ClusterBlueprint } from "../../dev/local-cluster/blueprint";
import type { LocalCluster } from "../../dev/local-cluster/local-cluster";
import type { BenchOptions } from "../options";
import type { FigureResult } from "../results";
import { summarize } from "../stats";
import { HubProcess } from "../clients/hub-process";
import type { LoadOptions, LoadResult } from "../clients/load-generator";
import { isTlsCluster, withBootedCluster } from "./boot";
import { busyPercent } from "./cpu-usage";

/** Writes in flight: enough to keep every member busy, few enough for one Node client process. */
export const LOAD_CONCURRENCY = 32;
const WARMUP_MS = 1_000;
const MIN_THROUGHPUT_RATIO = 0.8;
const MAX_P99_RATIO = 1.5;

interface LoadRun extends LoadResult {
  /** How busy all the machine's CPUs were during the run, in percent (other tenants included). */
  readonly machineBusyPercent: number;
}

async function runLoad(cluster: LocalCluster, seconds: number): Promise<LoadRun> {
  const options: LoadOptions = {
    endpoints: cluster.endpoints(),
    tls: isTlsCluster(cluster) ? cluster.adminFiles : undefined,
    concurrency: LOAD_CONCURRENCY,
    warmupMs: WARMUP_MS,
    durationMs: seconds * 1000,
  };
  const before = readFileSync("/proc/stat", "utf8");
  const result = await new HubProcess<LoadResult>(cluster.network.hubNamespace, "load-generator.ts", options).result();
  return { ...result, machineBusyPercent: busyPercent(before, readFileSync("/proc/stat", "utf8")) };
}

function spread(runs: readonly LoadRun[]): string {
  const values = summarize(runs.map((run) => run.writesPerSecond));
  return ((100 * (values.max - values.min)) / values.median).toFixed(0);
}

export async function throughput(
  rendered: ClusterBlueprint,
  reference: ClusterBlueprint,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<FigureResult> {
  const subject: LoadRun[] = [];
  const baseline: LoadRun[] = [];
  await withBootedCluster(rendered, "bl-ren", (renderedCluster) =>
    withBootedCluster(reference, "bl-ref", async (referenceCluster) => {
      for (let run = 0; run < options.loadRuns; run++) {
        subject.push(await runLoad(renderedCluster, options.loadSeconds));
        baseline.push(await runLoad(referenceCluster, options.loadSeconds));
        log(`load: rendered ${JSON.stringify(subject.at(-1))}, reference ${JSON.stringify(baseline.at(-1))}`);
      }
    }),
  );
  const failures = [...subject, ...baseline].reduce((sum, result) => sum + result.failures, 0);
  return {
    id: "load",
    title: `4a. Throughput and latency, ${LOAD_CONCURRENCY} concurrent writers`,
    subject: "the rendered 3-member TLS cluster (admin client certificate)",
    baseline: "the reference plaintext cluster with etcd defaults",
    rows: [
      {
        label: "writes/s",
        unit: "writes/s",
        subject: summarize(subject.map((r) => r.writesPerSecond)),
        baseline: summarize(baseline.map((r) => r.writesPerSecond)),
        targets: [{ kind: "ratio-at-least", value: MIN_THROUGHPUT_RATIO }],
      },
      { label: "p50 latency", unit: "ms", subject: summarize(subject.map((r) => r.p50Ms)), baseline: summarize(baseline.map((r) => r.p50Ms)), targets: [] },
      {
        label: "p99 latency",
        unit: "ms",
        subject: summarize(subject.map((r) => r.p99Ms)),
        baseline: summarize(baseline.map((r) => r.p99Ms)),
        targets: [{ kind: "ratio-at-most", value: MAX_P99_RATIO }],
      },
      {
        label: "machine busy during the load (all tenants)",
        unit: "%",
        subject: summarize(subject.map((r) => r.machineBusyPercent)),
        baseline: summarize(baseline.map((r) => r.machineBusyPercent)),
        targets: [],
      },
    ],
    notes: [
      `Load: ${LOAD_CONCURRENCY} writers in one Node process (etcd3 client, one attempt per request) put 256-byte values under distinct keys through all three members; ` +
        `${WARMUP_MS} ms warm-up, then ${options.loadSeconds} s measured, ${options.loadRuns} runs per cluster alternating; ${failures} failed requests in all.`,
      "Both clusters are booted in the same sitting and stay up while the loads alternate, each in its own namespaces.",
      `Run-to-run spread of throughput (max − min over median): rendered ${spread(subject)} %, reference ${spread(baseline)} %. ` +
        "A gap smaller than the spread is not a finding; on a machine near 100 % busy the cluster that spends more CPU per write " +
        "(TLS on every client request and peer message: see 4b's CPU per write) loses the most.",
    ],
  };
}
