/**
 * Names of a cluster's AWS resources that policies refer to (pure). The provider names roles,
 * instance profiles and the bucket `<Pulumi resource name>-<7 random hex digits>`, and the
 * cluster's resource names start with the cluster name (cluster.ts), so a name pattern scopes a
 * policy to one cluster where AWS has no tag condition (IAM, S3). SSM parameter names are in
 * src/core/member/ssm-parameters.ts.
 */
/** Names of the members' roles and instance profiles: `<cluster>-member-<index>-role-…`, `…-profile-…`. */
export function memberRoleNamePattern(clusterName: string): string {
  return `${clusterName}-member-*`;
}

/** Name of the volume snapshot (DLM) role. */
export function snapshotRoleNamePattern(clusterName: string): string {
  return `${clusterName}-volume-snapshots-*`;
}

/** Name of the backup bucket. */
export function backupBucketNamePattern(clusterName: string): string {
  return `${clusterName}-backups-*`;
}

/** The AWS-managed policy of the volume snapshot role, below `arn:<partition>:iam::aws:policy/`. */
export const DLM_SERVICE_POLICY_NAME = "service-role/AWSDataLifecycleManagerServiceRole";

/**
 * The SNS topic every alarm of the cluster notifies: `alarm-<cluster>-topic`, so that one ARN
 * pattern, `…:alarm?<cluster>-*`, names it and the alarms (`alarm:<cluster>-…`) in the deployer's policy.
 */
export function alarmTopicName(clusterName: string): string {
  return `alarm-${clusterName}-topic`;
}
