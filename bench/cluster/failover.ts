/**
 * Figure 3, failover: SIGKILL the leader of the rendered cluster; milliseconds until a survivor
 * names a new leader and until a write through the survivors succeeds, against the election
 * timeout the cluster is configured with. The killed member is restarted and the cluster is healthy
 * again before the next kill.
 */
import { parse } from "yaml";
import type { ClusterBlueprint } from "../../dev/local-cluster/blueprint";
import { currentLeader } from "../../test/e2e/support/leader";
import type { BenchOptions } from "../options";
import type { FigureResult } from "../results";
import { summarize } from "../stats";
import type { FailoverResult } from "../clients/failover-probe";
import { HubProcess } from "../clients/hub-process";
import { isTlsCluster, waitHealthySince, withBootedCluster } from "./boot";
import { performance } from "node:perf_hooks";

const MAX_RATIO = 1.5;

/** `election-timeout` (ms) of the rendered config, the same on every member. */
export function configuredElectionTimeout(blueprint: ClusterBlueprint): number {
  const timeouts = new Set(blueprint.members.map((member) => Number((parse(member.renderedConfig) as Record<string, unknown>)["election-timeout"])));
  const [timeout] = timeouts;
  if (timeouts.size !== 1 || !Number.isInteger(timeout)) throw new Error(`members differ in election-timeout or set none: ${[...timeouts].join(", ")}`);
  return timeout;
}

export async function failover(rendered: ClusterBlueprint, options: BenchOptions, log: (line: string) => void): Promise<FigureResult> {
  const electionTimeout = configuredElectionTimeout(rendered);
  const results: FailoverResult[] = [];
  await withBootedCluster(rendered, "bf", async (cluster) => {
    for (let run = 0; run < options.failoverRuns; run++) {
      const leader = await currentLeader(cluster);
      const survivors = cluster.members.filter((member) => member !== leader);
      const probe = new HubProcess<FailoverResult>(cluster.network.hubNamespace, "failover-probe.ts", {
        endpoints: cluster.endpoints(survivors),
        tls: isTlsCluster(cluster) ? cluster.adminFiles : undefined,
      });
      await probe.waitForLine("ready");
      const killedAt = Date.now();
      const stopped = leader.stop("SIGKILL");
      probe.send(String(killedAt));
      await stopped;
      results.push(await probe.result());
      log(`failover: ${leader.name} killed, new leader after ${results.at(-1)!.newLeaderMs} ms, write after ${results.at(-1)!.writeMs} ms`);
      leader.start();
      await waitHealthySince(cluster, performance.now());
    }
  });
  const timeout = summarize([electionTimeout]);
  return {
    id: "failover",
    title: "3. Failover after SIGKILL of the leader (rendered 3-member cluster)",
    subject: `the rendered cluster's two survivors, probed every 5 ms from the hub (median of ${results.length} kills)`,
    baseline: `the configured election timeout, ${electionTimeout} ms (\`election-timeout\`)`,
    rows: [
      {
        label: "kill → a write through the survivors succeeds",
        unit: "ms",
        subject: summarize(results.map((r) => r.writeMs)),
        baseline: timeout,
        targets: [{ kind: "ratio-at-most", value: MAX_RATIO }],
      },
      { label: "kill → a survivor names a new leader", unit: "ms", subject: summarize(results.map((r) => r.newLeaderMs)), baseline: timeout, targets: [] },
    ],
    notes: [
      "A follower that hears nothing from the leader for a randomized timeout of at least `election-timeout` starts an election (etcd's raft, with pre-vote); " +
        "the time beyond the timeout is the vote round trips, the new leader's first commit, and the probe's 5 ms polling.",
    ],
  };
}
