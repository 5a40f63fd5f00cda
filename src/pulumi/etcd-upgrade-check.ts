/**
 * The etcd releases a running cluster's members run, read from AWS before anything is declared,
 * and the upgrade rules applied to them. Each member instance carries its release in its
 * `etcd:version` tag (member.ts): the tag and the user data that installs the release change
 * together, and only by replacing the instance, so the live instances say what runs, even after
 * a rollout that stopped halfway. A stack output would not: it is written only when an `up`
 * completes. Instances from before the tag are read from their user data's header instead.
 * The deployer needs the EC2 read permissions the provider's instance data sources use, the same
 * it uses to refresh the instances it manages (`ec2:DescribeInstances`,
 * `ec2:DescribeInstanceAttribute` for the user data, …).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { ClusterConfigError } from "../core/config/errors";
import type { ClusterConfig, ConfigProblem } from "../core/config/types";
import { checkEtcdUpgrade, type DeployedEtcdReleases } from "../core/config/upgrade-rules";
import { etcdReleaseOfUserData } from "../core/member/cloud-init";
import { TAG_KEYS } from "../core/aws/tags";

/**
 * The release one member instance runs: its `etcd:version` tag, or for an instance created before
 * the tag existed, the release its user data's header names (a second lookup that returns the
 * user data, which only such instances need); undefined when neither says.
 */
async function releaseOfInstance(instance: aws.ec2.GetInstanceResult, opts?: pulumi.InvokeOptions): Promise<string | undefined> {
  const tagged = instance.tags[TAG_KEYS.etcdVersion];
  if (tagged !== undefined) return tagged;
  const withUserData = await aws.ec2.getInstance({ instanceId: instance.id, getUserData: true }, opts);
  return etcdReleaseOfUserData(withUserData.userDataBase64 ?? "");
}

/** The releases of the cluster's live member instances (live-member-instances.ts). */
export async function deployedEtcdReleases(instances: readonly aws.ec2.GetInstanceResult[], opts?: pulumi.InvokeOptions): Promise<DeployedEtcdReleases> {
  const versions: string[] = [];
  const unknownInstances: string[] = [];
  for (const instance of instances) {
    const version = await releaseOfInstance(instance, opts);
    if (version === undefined) unknownInstances.push(instance.id);
    else versions.push(version);
  }
  return { versions, unknownInstances };
}

/**
 * Refuses an `etcdVersion` the running members cannot move to in one rollout (config/upgrade-rules.ts):
 * throws ClusterConfigError before any resource exists; returns the warnings. Library users call it
 * before `new EtcdCluster` with the cluster's live instances (`liveMemberInstances`), and with
 * `opts.provider` when the cluster uses an explicit AWS provider.
 */
export async function checkEtcdVersionChange(
  config: Pick<ClusterConfig, "etcdVersion">,
  liveInstances: readonly aws.ec2.GetInstanceResult[],
  opts?: pulumi.InvokeOptions,
): Promise<readonly ConfigProblem[]> {
  const findings = checkEtcdUpgrade(config.etcdVersion, await deployedEtcdReleases(liveInstances, opts));
  if (findings.errors.length > 0) throw new ClusterConfigError(findings.errors);
  return findings.warnings;
}
