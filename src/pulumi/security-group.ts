import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planIngressRules, type IngressRulePlan, type IngressSources } from "../core/aws/security-group-rules";

/** Inputs of the cluster security group. */
export interface ClusterSecurityGroupArgs extends IngressSources {
  /** The VPC of the members' subnets. */
  readonly vpcId: string;
  /** Tags of the group and its rules (tags.ts `clusterTags`). */
  readonly tags: Readonly<Record<string, string>>;
}

/** The rule's source, as the provider spells it: another group or an IPv4 CIDR (config accepts only those). */
function sourceProperties(rule: IngressRulePlan, clusterGroupId: pulumi.Input<string>) {
  switch (rule.source.kind) {
    case "cluster":
      return { referencedSecurityGroupId: clusterGroupId };
    case "securityGroup":
      return { referencedSecurityGroupId: rule.source.securityGroupId };
    case "cidr":
      return { cidrIpv4: rule.source.cidr };
    default: {
      const unknown: never = rule.source;
      throw new Error(`unknown ingress source ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The one security group every member's ENI carries. Each rule is its own
 * `aws.vpc.SecurityGroupIngressRule` (one source each) rather than an inline rule, so adding or
 * removing a client touches exactly one rule and never rewrites the group.
 */
export function createClusterSecurityGroup(name: string, args: ClusterSecurityGroupArgs, opts: pulumi.CustomResourceOptions): aws.ec2.SecurityGroup {
  const group = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    { vpcId: args.vpcId, description: "etcd members: peer, client and metrics ports", tags: { ...args.tags } },
    opts,
  );
  for (const rule of planIngressRules(args)) {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-sg-${rule.key}`,
      {
        securityGroupId: group.id,
        ipProtocol: "tcp",
        fromPort: rule.port,
        toPort: rule.port,
        description: rule.description,
        ...sourceProperties(rule, group.id),
        tags: { ...args.tags },
      },
      opts,
    );
  }
  // Egress is open: members download the etcd release (or read the mirror), reach SSM, KMS and S3
  // endpoints, and dial each other; none of that has a fixed address to scope a rule to.
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-sg-egress-all`,
    { securityGroupId: group.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "all outbound", tags: { ...args.tags } },
    opts,
  );
  return group;
}
