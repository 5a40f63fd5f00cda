/**
 * One real cluster shared by the drills of a test file: booted once before them, brought back to
 * all members running and healthy before each drill (a failed drill does not cascade), destroyed
 * after them even when a drill fails.
 */
import { after, before, beforeEach } from "node:test";
import type { ClusterBlueprint } from "../../../dev/local-cluster/blueprint";
import { LocalCluster } from "../../../dev/local-cluster/local-cluster";

/** Returns the cluster of the enclosing `describe`; valid inside its tests. */
export type ClusterOfSuite = () => LocalCluster;

export function sharedCluster(label: string, blueprint: () => Promise<ClusterBlueprint>): ClusterOfSuite {
  let cluster: LocalCluster | undefined;
  before(async () => {
    cluster = LocalCluster.create(await blueprint(), label);
    cluster.startAll();
    const elapsed = await cluster.waitHealthy();
    console.log(`${cluster.members.length} members: all healthy ${elapsed} ms after start`);
  });
  beforeEach(async () => {
    const current = cluster;
    if (current === undefined) return;
    current.startAll();
    await current.waitHealthy();
  });
  after(async () => {
    await cluster?.destroy();
  });
  return () => {
    if (cluster === undefined) throw new Error("the cluster did not boot");
    return cluster;
  };
}
