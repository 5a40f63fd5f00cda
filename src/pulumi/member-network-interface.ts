import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Where a member's network interface lives. */
export interface MemberNetworkInterfaceArgs {
  /** etcd member name, for the interface's description. */
  readonly memberName: string;
  /** The member's subnet (one AZ); the ENI's private IP is drawn from it. */
  readonly subnetId: string;
  /** The cluster security group (security-group.ts). */
  readonly securityGroupId: pulumi.Input<string>;
  /** Tags of the interface (tags.ts `memberTags`). */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The member's ENI: its stable identity on the network. It exists independently of any instance,
 * so its private IP (in `initial-cluster`, the certificates' SANs and the client endpoints) survives
 * instance replacement. It has no public IP: AWS assigns one only to interfaces it creates at launch.
 */
export function createMemberNetworkInterface(
  resourcePrefix: string,
  args: MemberNetworkInterfaceArgs,
  opts: pulumi.CustomResourceOptions,
): aws.ec2.NetworkInterface {
  return new aws.ec2.NetworkInterface(
    `${resourcePrefix}-eni`,
    {
      subnetId: args.subnetId,
      securityGroups: [args.securityGroupId],
      description: `etcd member ${args.memberName}`,
      tags: { ...args.tags },
    },
    opts,
  );
}
