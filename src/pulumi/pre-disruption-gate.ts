import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { instanceDisruptionDigest, renderClusterGateScript } from "../core/aws/cluster-gate-command";
import type { GateLimits } from "../core/aws/gate-limits";
import { TAG_KEYS } from "../core/aws/tags";

/** One member's pre-disruption gate. */
export interface PreDisruptionGateArgs {
  /** etcd member name. */
  readonly memberName: string;
  /** ClusterConfig.clusterName: how the gate finds the cluster's instances. */
  readonly clusterName: string;
  /** The instance inputs whose change replaces or stops the member's instance (cluster-gate-command.ts). */
  readonly disruptingInputs: Readonly<Record<string, pulumi.Input<string | undefined>>>;
  /** How often a refusal is asked again. */
  readonly limits: GateLimits;
  /** The previous member's health gate (none for the first member). */
  readonly after: readonly pulumi.Resource[];
  /** AWS region of the instances, for the deployer's AWS CLI. */
  readonly region: string;
}

/**
 * A command the member's instance depends on, run on the deployer before the instance is replaced
 * or stopped (scripts/cluster-gate.sh): it asks etcd, through SSM on a member, whether every other
 * voter is healthy, no learner waits and no alarm is raised, and fails `pulumi up` otherwise.
 * Step order: Pulumi registers the instance only once its dependencies' steps are done, and only
 * then diffs it and, delete-before-replace, deletes the old instance; so the gate's step comes
 * first. The gate's environment carries a digest of the instance's disrupting inputs: whenever the
 * instance will be replaced or restarted the digest changes, and the update runs the script
 * (@pulumi/command 1.x: with no `update`, an update runs `create` again; an unchanged environment
 * runs nothing). `environment`, not `triggers`: a trigger change replaces the command, which would
 * run the same script but show every rollout as a replacement. On creation (a new cluster, a
 * scale-up) the script finds no instance of the member and passes: there is nothing to disrupt.
 */
export function createPreDisruptionGate(resourcePrefix: string, args: PreDisruptionGateArgs, opts: pulumi.CustomResourceOptions): command.local.Command {
  const script = renderClusterGateScript({
    memberName: args.memberName,
    clusterName: args.clusterName,
    tagKeys: TAG_KEYS,
    limits: args.limits,
  });
  const digest = pulumi.all(args.disruptingInputs).apply((inputs) => instanceDisruptionDigest(inputs));
  return new command.local.Command(
    `${resourcePrefix}-pre-disruption-gate`,
    { create: script, environment: { AWS_REGION: args.region, MEMBER_INSTANCE_INPUTS_SHA256: digest } },
    { ...opts, dependsOn: [...args.after] },
  );
}
