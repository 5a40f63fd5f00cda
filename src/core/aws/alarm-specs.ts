/**
 * The CloudWatch alarms of a cluster, as plain specifications (pure: the values AWS receives, no
 * resources), so the thresholds and windows are tested without the mock runtime.
 *
 * What each watches (README "Monitoring"):
 * - per member, EC2's status checks (`AWS/EC2 StatusCheckFailed`: system, instance and attached EBS);
 * - per member volume, EBS's stalled-I/O check (`AWS/EBS VolumeStalledIOCheck`, Nitro, 1-minute);
 * - per cluster, backup freshness: no `BackupSucceeded` in two consecutive backup intervals;
 * - per cluster, certificate expiry: the shortest remaining life any member reports is inside the
 *   renewal window, or no member has reported for two hours.
 * The last two are the members' own metrics (etcd/member-metrics.ts); their absence is itself the
 * failure, so missing data counts as breaching.
 */
import { CLOUDWATCH_METRICS, cloudWatchNamespace } from "../member/scripts/member-metrics";

/**
 * One alarm, in the shape of `aws.cloudwatch.MetricAlarm`'s arguments. `Id` is how instance and
 * volume IDs are given: plain strings here, the resources' outputs in src/pulumi/cluster-alarms.ts.
 */
export interface AlarmSpec<Id = string> {
  /** Resource-name suffix, e.g. `member-0-status-check`; also the alarm's name after the cluster's. */
  readonly key: string;
  /** The member a per-member alarm watches (its `etcd:member` tag); absent for the cluster's alarms. */
  readonly memberName?: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, Id>>;
  readonly statistic: "Maximum" | "Minimum" | "Sum";
  /** Seconds: 60 or a multiple of it. */
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly comparisonOperator: "GreaterThanOrEqualToThreshold" | "LessThanThreshold";
  readonly threshold: number;
  readonly treatMissingData: "breaching" | "notBreaching" | "missing";
}

/** A member as the alarms see it. */
export interface AlarmedMember<Id = string> {
  readonly index: number;
  readonly name: string;
  readonly instanceId: Id;
  readonly dataVolumeId: Id;
  readonly walVolumeId: Id;
}

export interface ClusterAlarmInput<Id = string> {
  readonly clusterName: string;
  readonly members: readonly AlarmedMember<Id>[];
  /** Longest gap between two backup runs (calendar-interval.ts), seconds. */
  readonly backupIntervalSeconds: number;
  /** PkiSettings.earlyRenewalHours in seconds. */
  readonly renewalWindowSeconds: number;
}

const MINUTE = 60;
const HOUR = 3600;

/** A period CloudWatch accepts (60 or a multiple) covering `seconds`. */
function periodCovering(seconds: number): number {
  return Math.max(MINUTE, Math.ceil(seconds / MINUTE) * MINUTE);
}

/** An AWS pass/fail check (1 = failed, one data point a minute) failing 5 minutes in a row. */
const FAILED_FOR_FIVE_MINUTES = {
  statistic: "Maximum",
  period: MINUTE,
  evaluationPeriods: 5,
  datapointsToAlarm: 5,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  threshold: 1,
} as const;

/** EC2's status checks. A replaced instance reports nothing while it boots: missing data keeps the state. */
function statusCheck<Id>(member: AlarmedMember<Id>): AlarmSpec<Id> {
  return {
    key: `member-${member.index}-status-check`,
    memberName: member.name,
    description: `etcd member ${member.name}: EC2 status check failed for 5 minutes (system, instance or attached EBS)`,
    namespace: "AWS/EC2",
    metricName: "StatusCheckFailed",
    dimensions: { InstanceId: member.instanceId },
    ...FAILED_FOR_FIVE_MINUTES,
    treatMissingData: "missing",
  };
}

/** The volume completed no I/O; the metric carries both the volume's and the instance's ID. */
function stalledIo<Id>(member: AlarmedMember<Id>, role: "data" | "wal", volumeId: Id): AlarmSpec<Id> {
  return {
    key: `member-${member.index}-${role}-stalled-io`,
    memberName: member.name,
    description: `etcd member ${member.name}: the ${role} volume has stalled I/O for 5 minutes`,
    namespace: "AWS/EBS",
    metricName: "VolumeStalledIOCheck",
    dimensions: { VolumeId: volumeId, InstanceId: member.instanceId },
    ...FAILED_FOR_FIVE_MINUTES,
    treatMissingData: "notBreaching",
  };
}

/** The alarms of a cluster, members first. */
export function clusterAlarmSpecs<Id>(input: ClusterAlarmInput<Id>): AlarmSpec<Id>[] {
  const namespace = cloudWatchNamespace(input.clusterName);
  const backupPeriod = periodCovering(input.backupIntervalSeconds);
  return [
    ...input.members.flatMap((member) => [statusCheck(member), stalledIo(member, "data", member.dataVolumeId), stalledIo(member, "wal", member.walVolumeId)]),
    {
      key: "backup-freshness",
      description: `etcd cluster ${input.clusterName}: no etcd snapshot reached S3 in two backup intervals (${(2 * backupPeriod) / MINUTE} minutes)`,
      namespace,
      metricName: CLOUDWATCH_METRICS.backupSucceeded,
      dimensions: {},
      statistic: "Sum",
      period: backupPeriod,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
    },
    {
      key: "certificate-expiry",
      description: `etcd cluster ${input.clusterName}: a member certificate (or the CA) is within its renewal window of ${input.renewalWindowSeconds / HOUR} hours, or no member reported its certificates for 2 hours`,
      namespace,
      metricName: CLOUDWATCH_METRICS.certificateSecondsToExpiry,
      dimensions: {},
      statistic: "Minimum",
      // Members publish hourly, up to 5 minutes late: a 2-hour window always holds a report.
      period: 2 * HOUR,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparisonOperator: "LessThanThreshold",
      threshold: input.renewalWindowSeconds,
      treatMissingData: "breaching",
    },
  ];
}
