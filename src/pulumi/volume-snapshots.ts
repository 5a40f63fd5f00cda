import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DLM_SERVICE_POLICY_NAME } from "../core/aws/resource-names";
import { TAG_KEYS, clusterTags } from "../core/aws/tags";

/**
 * The schedule's name. DLM retains and deletes only snapshots tagged with the name of a schedule
 * that still exists: renaming it leaves every earlier snapshot unmanaged, never deleted. So the
 * name is fixed and carries no setting (interval and retain count change in place). DLM accepts
 * letters, digits, spaces, `_` and `-` here (dlm 2018-01-12 ScheduleName `[0-9A-Za-z _-]+`).
 */
export const VOLUME_SNAPSHOT_SCHEDULE_NAME = "etcd member volumes";

export interface VolumeSnapshotPolicyArgs {
  /** ClusterConfig.clusterName: the policy targets instances tagged `etcd:cluster=<clusterName>`. */
  readonly clusterName: string;
  /** BackupSettings.volumeSnapshots.intervalHours: 1, 2, 3, 4, 6, 8, 12 or 24 (DLM's choices). */
  readonly intervalHours: number;
  /** BackupSettings.volumeSnapshots.retainCount: snapshot sets kept per instance (DLM allows 1 to 1000). */
  readonly retainCount: number;
  /** ClusterConfig.tags: extra tags on the policy and its role. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A Data Lifecycle Manager policy taking crash-consistent multi-volume snapshots of every member
 * instance of the cluster: targeting instances (not volumes) makes DLM snapshot all of an
 * instance's volumes at the same point in time, so a member's data and WAL volumes always match.
 * The root volume is left out: it holds nothing the boot script does not recreate. Each snapshot
 * copies its volume's tags (member name, `data` or `wal`) and gets the instance ID, so an operator
 * finds a member's pair by tag.
 */
export class VolumeSnapshotPolicy extends pulumi.ComponentResource {
  /** ID of the DLM lifecycle policy. */
  readonly policyId: pulumi.Output<string>;

  constructor(name: string, args: VolumeSnapshotPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("etcd-cluster:aws:VolumeSnapshotPolicy", name, {}, opts);
    const tags = clusterTags(args.tags, args.clusterName, name);
    const role = new aws.iam.Role(
      name,
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "dlm.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags,
      },
      { parent: this },
    );
    const servicePolicy = new aws.iam.RolePolicyAttachment(
      name,
      {
        role: role.name,
        // The role's own ARN names the partition (aws, aws-cn, aws-us-gov) without a lookup.
        policyArn: role.arn.apply((arn) => `arn:${arn.split(":")[1]}:iam::aws:policy/${DLM_SERVICE_POLICY_NAME}`),
      },
      { parent: role },
    );
    const policy = new aws.dlm.LifecyclePolicy(
      name,
      {
        // DLM's PolicyDescription pattern: letters, digits, spaces, `_` and `-` (the cluster name keeps to them).
        description: `etcd ${args.clusterName} data and WAL volumes of each member`,
        executionRoleArn: role.arn,
        state: "ENABLED",
        policyDetails: {
          policyType: "EBS_SNAPSHOT_MANAGEMENT",
          resourceTypes: ["INSTANCE"],
          targetTags: { [TAG_KEYS.cluster]: args.clusterName },
          parameters: { excludeBootVolume: true },
          schedules: [
            {
              name: VOLUME_SNAPSHOT_SCHEDULE_NAME,
              createRule: { interval: args.intervalHours, intervalUnit: "HOURS" },
              retainRule: { count: args.retainCount },
              copyTags: true,
              variableTags: { "instance-id": "$(instance-id)" },
            },
          ],
        },
        tags,
      },
      // The policy acts through the role: attach its permissions before the policy can first run.
      { parent: this, dependsOn: [servicePolicy] },
    );
    this.policyId = policy.id;
    this.registerOutputs({ policyId: this.policyId });
  }
}
