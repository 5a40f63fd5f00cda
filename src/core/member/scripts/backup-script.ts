import { cloudWatchNamespace, CLOUDWATCH_METRICS, PROMETHEUS_METRICS } from "./member-metrics";
import { memberMetricsDir, type VolumeMountPoints, type EtcdHostPaths } from "../ports-and-paths";
import { localEtcdctlSettings } from "./script-shell";
import { scriptWithSettings } from "./member-script-source";
import { shellQuote } from "../../formats/shell-quote";

/** Everything the backup script of one member depends on. */
export interface BackupScriptInput {
  /** ClusterConfig.clusterName: the first part of every object key. */
  readonly clusterName: string;
  /** The member's etcd name: the last part of the object keys it uploads. */
  readonly memberName: string;
  /** Name (not ARN) of the cluster's backup bucket. */
  readonly bucketName: string;
  /** certDir holds the CA and the member's server certificate, which carries `clientAuth` too. */
  readonly paths: EtcdHostPaths;
  /** The snapshot is written to a scratch directory on the data volume (sized for the database), never the root disk. */
  readonly mounts: VolumeMountPoints;
  /** AWS region of the CloudWatch API the success is published to. */
  readonly region: string;
  /**
   * The member's `quota-backend-bytes` (EtcdTuning.quotaBackendBytes): a snapshot is taken only where
   * it leaves etcd the room to grow to it.
   */
  readonly quotaBackendBytes: number;
}

/** Key prefix of the etcd snapshots of a cluster in its backup bucket: `<cluster>/snapshots/`. */
export function snapshotKeyPrefix(clusterName: string): string {
  return `${clusterName}/snapshots/`;
}

/**
 * Scratch directory of the backup on the data volume, beside (not inside) etcd's data-dir: etcd warns
 * about foreign files in its data-dir, and the data-dir's own emptiness decides a restore.
 */
export function backupScratchDir(mounts: VolumeMountPoints): string {
  return `${mounts.data}/etcd-backup`;
}

/**
 * The backup script run by the backup timer on every member: backup.sh beside this file (it
 * documents which member works and how a success is recorded) with this member's settings rendered
 * as readonly lines after its shebang.
 */
export function renderBackupScript(input: BackupScriptInput): string {
  return scriptWithSettings("backup.sh", "backup-script.ts", [
    `readonly CLUSTER=${shellQuote(input.clusterName)}`,
    `readonly MEMBER=${shellQuote(input.memberName)}`,
    `readonly BUCKET=${shellQuote(input.bucketName)}`,
    `readonly KEY_PREFIX=${shellQuote(snapshotKeyPrefix(input.clusterName))}`,
    `readonly SCRATCH_DIR=${shellQuote(backupScratchDir(input.mounts))}`,
    `readonly METRICS_DIR=${shellQuote(memberMetricsDir(input.mounts))}`,
    `readonly REGION=${shellQuote(input.region)}`,
    `readonly NAMESPACE=${shellQuote(cloudWatchNamespace(input.clusterName))}`,
    `readonly QUOTA_BYTES=${input.quotaBackendBytes}`,
    `readonly LAST_SUCCESS_METRIC=${PROMETHEUS_METRICS.backupLastSuccess}`,
    `readonly LAST_SIZE_METRIC=${PROMETHEUS_METRICS.backupLastSizeBytes}`,
    `readonly LAST_REVISION_METRIC=${PROMETHEUS_METRICS.backupLastRevision}`,
    `readonly SUCCESS_METRIC=${CLOUDWATCH_METRICS.backupSucceeded}`,
    ...localEtcdctlSettings(input.paths),
  ]);
}
