/**
 * Looks up the cluster's existing member ENIs and volumes by their tags (core/aws/tags.ts) before
 * the first resource is declared, and refuses a config that would replace one of them
 * (core/plan/member-replacement-rules.ts). The program cannot read its own stack state, but what
 * its earlier `up`s created is in the account, tagged `etcd:cluster=<clusterName>` and
 * `etcd:member=<member>`; the deployer reads it with the EC2 Describe calls its policy allows on `*`
 * (ec2:DescribeNetworkInterfaces, ec2:DescribeVolumes, ec2:DescribeSubnets).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { ClusterConfigError } from "../core/config/errors";
import type { ConfigProblem } from "../core/config/types";
import { TAG_KEYS } from "../core/aws/tags";
import { checkMemberReplacement, type DeployedNetworkInterface, type DeployedVolume, type MemberReplacementConfig } from "../core/plan/member-replacement-rules";
import { lookUpSubnets } from "./placement-check";

const clusterFilter = (clusterName: string) => [{ name: `tag:${TAG_KEYS.cluster}`, values: [clusterName] }];

/** The cluster's member ENIs (those with an `etcd:member` tag). */
async function deployedNetworkInterfaces(clusterName: string, opts?: pulumi.InvokeOptions): Promise<DeployedNetworkInterface[]> {
  const { ids } = await aws.ec2.getNetworkInterfaces({ filters: clusterFilter(clusterName) }, opts);
  const found = await Promise.all([...ids].sort().map((id) => aws.ec2.getNetworkInterface({ id }, opts)));
  return found.flatMap((eni) => {
    const memberName = eni.tags[TAG_KEYS.member];
    return memberName === undefined ? [] : [{ id: eni.id, memberName, subnetId: eni.subnetId, availabilityZone: eni.availabilityZone }];
  });
}

/** The cluster's member volumes (those with `etcd:member` and `etcd:volume` tags). */
async function deployedVolumes(clusterName: string, opts?: pulumi.InvokeOptions): Promise<DeployedVolume[]> {
  const { ids } = await aws.ebs.getEbsVolumes({ filters: clusterFilter(clusterName) }, opts);
  const found = await Promise.all([...ids].sort().map((id) => aws.ebs.getVolume({ filters: [{ name: "volume-id", values: [id] }] }, opts)));
  return found.flatMap((volume) => {
    const memberName = volume.tags[TAG_KEYS.member];
    const role = volume.tags[TAG_KEYS.volumeRole];
    if (memberName === undefined || (role !== "data" && role !== "wal")) return [];
    return [{ id: volume.volumeId, memberName, role, availabilityZone: volume.availabilityZone, kmsKeyId: volume.kmsKeyId }];
  });
}

/**
 * Throws ClusterConfigError naming each member ENI or volume the config would replace; returns
 * them as warnings when `allowMemberReplacement` is true. Library users call it before
 * `new EtcdCluster`, with `opts.provider` when the cluster uses an explicit AWS provider.
 */
export async function checkMemberChanges(config: MemberReplacementConfig, opts?: pulumi.InvokeOptions): Promise<readonly ConfigProblem[]> {
  const [subnets, networkInterfaces, volumes] = await Promise.all([
    lookUpSubnets(config.subnetIds, opts),
    deployedNetworkInterfaces(config.clusterName, opts),
    deployedVolumes(config.clusterName, opts),
  ]);
  const findings = checkMemberReplacement(config, { subnets, networkInterfaces, volumes });
  if (findings.errors.length > 0) throw new ClusterConfigError(findings.errors);
  return findings.warnings;
}
