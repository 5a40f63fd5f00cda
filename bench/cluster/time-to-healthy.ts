/**
 * Figure 2, time to healthy: from starting all three member processes to the first
 * `endpoint health --cluster` reporting all three healthy, the rendered TLS cluster against etcd's
 * reference static bootstrap (same binary, same namespaces and bridge), boots alternating.
 */
import type { ClusterBlueprint } from "../../dev/local-cluster/blueprint";
import type { BenchOptions } from "../options";
import type { FigureResult } from "../results";
import { summarize } from "../stats";
import { withBootedCluster } from "./boot";

const MAX_RATIO = 1.3;

export async function timeToHealthy(
  rendered: ClusterBlueprint,
  reference: ClusterBlueprint,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<FigureResult> {
  const subject: number[] = [];
  const baseline: number[] = [];
  for (let run = 0; run < options.bootRuns; run++) {
    subject.push(await withBootedCluster(rendered, "bh-ren", (_cluster, ms) => Promise.resolve(ms)));
    baseline.push(await withBootedCluster(reference, "bh-ref", (_cluster, ms) => Promise.resolve(ms)));
    log(`healthy: rendered ${subject.at(-1)!.toFixed(0)} ms, reference ${baseline.at(-1)!.toFixed(0)} ms`);
  }
  return {
    id: "healthy",
    title: "2. Time to healthy (3 members, fresh data)",
    subject: "the dev stack's rendered 3-member cluster (TLS everywhere, its tuning), one network namespace per member",
    baseline: "etcd's reference static bootstrap: same binary, names and addresses, plaintext, default settings, same namespaces",
    rows: [
      {
        label: "all members start → `endpoint health --cluster` all healthy",
        unit: "ms",
        subject: summarize(subject),
        baseline: summarize(baseline),
        targets: [{ kind: "ratio-at-most", value: MAX_RATIO }],
      },
    ],
    notes: [
      "Both kinds of boot are dominated by the first election: each member waits a randomized timeout of at least `election-timeout` " +
        "(1000 ms on both sides) before it campaigns, so single boots differ by a second either way and only the median of many boots " +
        `means anything (${options.bootRuns} per kind here).`,
      "Polled every 25 ms with `etcdctl endpoint health --cluster` from the hub namespace (the admin certificate for TLS); a poll costs one etcdctl process start, the same on both sides.",
    ],
  };
}
