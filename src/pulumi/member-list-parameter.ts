import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** The member list: which members the program declares, and what the member removals wait behind. */
export interface MemberListParameterArgs {
  /** ClusterPlan.memberListParameterName. */
  readonly parameterName: string;
  /** The etcd names of the members the program declares, in member order. */
  readonly memberNames: readonly string[];
  /** Every member's removal command (member-removal.ts). */
  readonly removals: readonly pulumi.Resource[];
  /** Tags of a cluster-wide resource (tags.ts clusterTags). */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A StringList parameter naming the members the program declares. It depends on every member's
 * removal, so Pulumi deletes it before any of them when the whole stack is destroyed, and never
 * when the cluster only shrinks (it is updated then, before anything is deleted). A removal that
 * finds it gone knows the cluster is being destroyed and removes nothing, so destroying a cluster
 * whose members are down or unreachable does not need them (member-removal-command.ts).
 * `insecureValue`: member names are no secret, and the plan and state show them.
 */
export function createMemberListParameter(name: string, args: MemberListParameterArgs, opts: pulumi.CustomResourceOptions): aws.ssm.Parameter {
  return new aws.ssm.Parameter(
    `${name}-param-member-names`,
    { name: args.parameterName, type: "StringList", insecureValue: args.memberNames.join(","), tags: { ...args.tags } },
    { ...opts, dependsOn: [...args.removals] },
  );
}
