/**
 * Figure 4a, throughput and latency under a fixed concurrent load: the same load generator
 * (bench/clients/load-generator.ts, from the hub namespace) against the rendered TLS cluster and the
 * reference plaintext cluster, both booted once and loaded alternately.
 */
import type { ClusterBlueprint } from "../../tools/local-cluster/blueprint";
import type { LocalCluster } from "../../tools/local-cluster/local-cluster";
import type { BenchOptions } from "../options";
import type { FigureResult } from "../results";
import { summarize } from "../stats";
import { HubProcess } from "../clients/hub-process";
import type { LoadOptions, LoadResult } from "../clients/load-generator";
import { isTlsCluster, withBootedCluster } from "./boot";

/** Writes in flight: enough to keep every member busy, few enough for one Node client process. */
export const LOAD_CONCURRENCY = 32;
const WARMUP_MS = 1_000;
const MIN_THROUGHPUT_RATIO = 0.8;
const MAX_P99_RATIO = 1.5;

function runLoad(cluster: LocalCluster, seconds: number): Promise<LoadResult> {
  const options: LoadOptions = {
    endpoints: cluster.endpoints(),
    tls: isTlsCluster(cluster) ? cluster.adminFiles : undefined,
    concurrency: LOAD_CONCURRENCY,
    warmupMs: WARMUP_MS,
    durationMs: seconds * 1000,
  };
  return new HubProcess<LoadResult>(cluster.network.hubNamespace, "load-generator.ts", options).result();
}

export async function throughput(
  rendered: ClusterBlueprint,
  reference: ClusterBlueprint,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<FigureResult> {
  const subject: LoadResult[] = [];
  const baseline: LoadResult[] = [];
  await withBootedCluster(rendered, "bl-ren", (renderedCluster) =>
    withBootedCluster(reference, "bl-ref", async (referenceCluster) => {
      for (let run = 0; run < options.loadRuns; run++) {
        subject.push(await runLoad(renderedCluster, options.loadSeconds));
        baseline.push(await runLoad(referenceCluster, options.loadSeconds));
        log(`load: rendered ${JSON.stringify(subject.at(-1))}, reference ${JSON.stringify(baseline.at(-1))}`);
      }
    }));
  const failures = [...subject, ...baseline].reduce((sum, result) => sum + result.failures, 0);
  return {
    id: "load",
    title: `4a. Throughput and latency, ${LOAD_CONCURRENCY} concurrent writers`,
    subject: "the rendered 3-member TLS cluster (admin client certificate)",
    baseline: "the reference plaintext cluster with etcd defaults",
    rows: [
      { label: "writes/s", unit: "writes/s", subject: summarize(subject.map((r) => r.writesPerSecond)),
        baseline: summarize(baseline.map((r) => r.writesPerSecond)), targets: [{ kind: "ratio-at-least", value: MIN_THROUGHPUT_RATIO }] },
      { label: "p50 latency", unit: "ms", subject: summarize(subject.map((r) => r.p50Ms)), baseline: summarize(baseline.map((r) => r.p50Ms)), targets: [] },
      { label: "p99 latency", unit: "ms", subject: summarize(subject.map((r) => r.p99Ms)),
        baseline: summarize(baseline.map((r) => r.p99Ms)), targets: [{ kind: "ratio-at-most", value: MAX_P99_RATIO }] },
    ],
    notes: [
      `Load: ${LOAD_CONCURRENCY} writers in one Node process (etcd3 client, one attempt per request) put 256-byte values under distinct keys through all three members; ` +
        `${WARMUP_MS} ms warm-up, then ${options.loadSeconds} s measured, ${options.loadRuns} runs per cluster alternating; ${failures} failed requests in all.`,
      "Both clusters are booted in the same sitting and stay up while the loads alternate, each in its own namespaces.",
    ],
  };
}
