/**
 * What the destroy needs to know from a stack's state, which is all a fresh CI runner has (the
 * stack file was written on another runner): which resources are protected or retained, the
 * cluster's name (the `etcd:cluster` tag its resources carry) and the AWS region (the default aws
 * provider's `region`), for the volume snapshots it deletes afterwards.
 */
import { TAG_KEYS } from "../../src/core/aws/tags";
import type { ResourceProtection } from "./protection";

/** A resource of `pulumi stack export`'s `deployment.resources`, the fields used here. */
export interface StateResource extends ResourceProtection {
  readonly type: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
}

export interface ClusterIdentity {
  readonly cluster: string;
  readonly region: string;
}

const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

/** The cluster and region the state's resources belong to, or undefined when the state holds none. */
export function clusterIdentityFromState(resources: readonly StateResource[]): ClusterIdentity | undefined {
  const clusters = new Set<string>();
  for (const resource of resources) {
    const tags = resource.inputs?.tags;
    const cluster = typeof tags === "object" && tags !== null ? (tags as Record<string, unknown>)[TAG_KEYS.cluster] : undefined;
    if (typeof cluster === "string") clusters.add(cluster);
  }
  const region = resources.find((resource) => resource.type === AWS_PROVIDER_TYPE)?.inputs?.region;
  if (clusters.size === 0 || typeof region !== "string") return undefined;
  if (clusters.size > 1) throw new Error(`the state's resources name ${clusters.size} clusters (${[...clusters].join(", ")}): expected one`);
  return { cluster: [...clusters][0], region };
}
