/**
 * The member's own metrics, which etcd does not expose: the backup's last success and the
 * certificates' expiry. Prometheus scrapes them from port 2382 (member-metrics.sh `serve`, one
 * process per connection from a systemd socket); CloudWatch receives `BackupSucceeded` from the
 * backup script and `CertificateSecondsToExpiry` hourly (member-metrics.sh `publish`), both in the
 * cluster's own namespace, the only one the member role may write (IAM `cloudwatch:namespace`).
 */
import { memberMetricsDir, type VolumeMountPoints, type EtcdHostPaths } from "../ports-and-paths";
import { scriptWithSettings } from "./member-script-source";
import { shellQuote } from "../../formats/shell-quote";

/** CloudWatch metric names the members publish (namespace: cloudWatchNamespace). */
export const CLOUDWATCH_METRICS = {
  /** 1 per snapshot uploaded (Count), by the backup script of the leader. */
  backupSucceeded: "BackupSucceeded",
  /** Seconds until the first of the member's certificates (CA, server, peer) expires, hourly per member. */
  certificateSecondsToExpiry: "CertificateSecondsToExpiry",
} as const;

/** Prometheus metric names of the member's endpoint; monitoring/etcd-alerts.yml alerts on them. */
export const PROMETHEUS_METRICS = {
  backupLastSuccess: "etcd_backup_last_success_timestamp_seconds",
  backupLastSizeBytes: "etcd_backup_last_size_bytes",
  backupLastRevision: "etcd_backup_last_revision",
  backupInterval: "etcd_backup_interval_seconds",
  certificateExpiry: "etcd_certificate_expiry_timestamp_seconds",
  certificateRenewalWindow: "etcd_certificate_renewal_window_seconds",
} as const;

/** The cluster's CloudWatch namespace, `etcd/<clusterName>`: one per cluster, so one cluster's members cannot write another's metrics. */
export function cloudWatchNamespace(clusterName: string): string {
  return `etcd/${clusterName}`;
}

/** What the member-metrics script of one member is rendered with. */
export interface MemberMetricsScriptInput {
  readonly clusterName: string;
  readonly memberName: string;
  /** AWS region of the CloudWatch API. */
  readonly region: string;
  /** certDir holds ca.crt, server.crt and peer.crt. */
  readonly paths: EtcdHostPaths;
  readonly mounts: VolumeMountPoints;
  /** Longest gap between two backup runs, seconds (calendar-interval.ts). */
  readonly backupIntervalSeconds: number;
  /** PkiSettings.earlyRenewalHours in seconds. */
  readonly renewalWindowSeconds: number;
}

/**
 * member-metrics.sh as installed: its settings as readonly lines after the shebang, and without its
 * comment lines (the file in the repository documents it; the user data has to stay under EC2's
 * 16 KiB, cloud-init.ts).
 */
export function renderMemberMetricsScript(input: MemberMetricsScriptInput): string {
  return scriptWithSettings(
    "member-metrics.sh",
    "member-metrics.ts",
    [
      `readonly CLUSTER=${shellQuote(input.clusterName)}`,
      `readonly MEMBER=${shellQuote(input.memberName)}`,
      `readonly REGION=${shellQuote(input.region)}`,
      `readonly NAMESPACE=${shellQuote(cloudWatchNamespace(input.clusterName))}`,
      `readonly CERT_DIR=${shellQuote(input.paths.certDir)}`,
      `readonly METRICS_DIR=${shellQuote(memberMetricsDir(input.mounts))}`,
      `readonly BACKUP_INTERVAL_SECONDS=${input.backupIntervalSeconds}`,
      `readonly RENEWAL_WINDOW_SECONDS=${input.renewalWindowSeconds}`,
    ],
    { withoutComments: true },
  );
}
