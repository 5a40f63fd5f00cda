/**
 * The cluster's live member instances, read from AWS before anything is declared: what the
 * members run now, even after a rollout that stopped halfway (a stack output is written only when
 * an `up` completes). The upgrade and CA rotation rules judge a change against their tags, and
 * the rollout order puts the members whose instance is not running first (core/plan/rollout-order.ts).
 * Read once per run (index.ts), before anything is declared. The deployer needs `ec2:DescribeInstances`, which it has to refresh the instances it manages.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { TAG_KEYS } from "../core/aws/tags";

/** Every state of an instance that can still hold a member's volumes (not shutting-down, not terminated). */
const LIVE_INSTANCE_STATES = ["pending", "running", "stopping", "stopped"];

/** The cluster's live member instances (ec2:DescribeInstances), in instance ID order. */
export async function liveMemberInstances(clusterName: string, opts?: pulumi.InvokeOptions): Promise<aws.ec2.GetInstanceResult[]> {
  const { ids } = await aws.ec2.getInstances({ instanceTags: { [TAG_KEYS.cluster]: clusterName }, instanceStateNames: LIVE_INSTANCE_STATES }, opts);
  return Promise.all([...ids].sort().map((instanceId) => aws.ec2.getInstance({ instanceId }, opts)));
}
