/**
 * Booting a cluster for a measurement and timing it: from starting every member process at once to
 * the first `etcdctl endpoint health --cluster` that reports every member healthy, polled more
 * finely than the e2e harness does (its 200 ms would be most of a fast boot).
 */
import { performance } from "node:perf_hooks";
import type { ClusterBlueprint } from "../../dev/local-cluster/blueprint";
import { HEALTHY_WITHIN_MS, LocalCluster } from "../../dev/local-cluster/local-cluster";

const POLL_INTERVAL_MS = 25;

/** Polls until every running member is healthy; the milliseconds since `since`. Throws after HEALTHY_WITHIN_MS. */
export async function waitHealthySince(cluster: LocalCluster, since: number): Promise<number> {
  while (!(await cluster.isHealthy())) {
    if (performance.now() - since > HEALTHY_WITHIN_MS) return cluster.waitHealthy();
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return performance.now() - since;
}

/** Lays out and starts `blueprint`, runs `body` with the cluster and its time to healthy, and always destroys it. */
export async function withBootedCluster<T>(blueprint: ClusterBlueprint, label: string, body: (cluster: LocalCluster, healthyMs: number) => Promise<T>): Promise<T> {
  const cluster = LocalCluster.create(blueprint, label);
  try {
    const started = performance.now();
    cluster.startAll();
    return await body(cluster, await waitHealthySince(cluster, started));
  } finally {
    await cluster.destroy();
  }
}

/** Client TLS flags for a cluster: the admin's for `https://` endpoints, none for plaintext. */
export function isTlsCluster(cluster: LocalCluster): boolean {
  return cluster.endpoints().every((endpoint) => endpoint.startsWith("https://"));
}
