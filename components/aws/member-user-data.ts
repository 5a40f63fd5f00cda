import type { OsImage } from "../config/types";
import { renderBackupScript } from "../etcd/backup-script";
import { renderBackupUnits } from "../etcd/backup-units";
import { packUserData, renderMemberCloudInit } from "../etcd/cloud-init";
import { renderDefragScript } from "../etcd/defrag-script";
import { renderDefragUnits } from "../etcd/defrag-units";
import { backupIntervalSeconds } from "../etcd/calendar-interval";
import { renderEtcdConfig } from "../etcd/etcd-config";
import { renderMemberMetricsScript } from "../etcd/member-metrics";
import { renderMemberMetricsUnits } from "../etcd/member-metrics-units";
import { DEFAULT_HOST_PATHS, DEFAULT_VOLUME_MOUNT_POINTS, ETCD_USER } from "../etcd/paths";
import { renderRestoreScript } from "../etcd/restore-script";
import type { MemberSecretsLocation } from "../etcd/secret-parameters";
import { renderEtcdUnit } from "../etcd/systemd";
import { possibleMemberNames } from "../etcd/topology";
import type { EtcdTuning, MemberEndpoint } from "../etcd/types";
import type { EtcdReleaseArtifact } from "../etcd/versions";

/** Everything one member's user data is rendered from, as plain values (resolved outputs). */
export interface MemberUserDataInput {
  /** The member the user data is for. */
  readonly member: MemberEndpoint;
  /** The member's 0-based index (MemberSpec.index): decides its defrag slot. */
  readonly memberIndex: number;
  /** Every member in member order; becomes `initial-cluster`, identical on every member. */
  readonly cluster: readonly MemberEndpoint[];
  /** `initial-cluster-token`. */
  readonly clusterToken: string;
  /** etcd tuning (etcd/tuning.ts). */
  readonly tuning: EtcdTuning;
  /** The pinned release the boot script installs. */
  readonly etcd: EtcdReleaseArtifact;
  /** The image's OS; decides what cloud-init installs first. */
  readonly osImage: OsImage;
  /** EBS volume ID of the data volume: the boot script finds the disk by it. */
  readonly dataVolumeId: string;
  /** EBS volume ID of the WAL volume. */
  readonly walVolumeId: string;
  /** Where the member's TLS files wait in SSM. */
  readonly secrets: MemberSecretsLocation;
  /**
   * Fingerprint of the certificates now in those parameters (etcd/certificates-fingerprint.ts): a
   * renewal changes it, and with it the user data (cloud-init.ts `certificatesFingerprint`).
   */
  readonly certificatesFingerprint: string;
  /** The cluster's etcd snapshots. */
  readonly backup: {
    /** ClusterConfig.clusterName: the snapshots' key prefix. */
    readonly clusterName: string;
    /** Name of the cluster's backup bucket. */
    readonly bucketName: string;
    /** systemd `OnCalendar` of the backup timer (BackupSettings.snapshotSchedule). */
    readonly schedule: string;
  };
  /** PkiSettings.earlyRenewalHours: the member's metrics report it as the renewal window. */
  readonly certificateRenewalHours: number;
  /** RestoreSettings.snapshotUri when the cluster starts from a snapshot; absent otherwise. */
  readonly restoreSnapshotUri?: string;
}

/**
 * A member's cloud-init user data: its etcd configuration, the etcd unit, the backup and defrag
 * scripts and units, the restore script when the cluster starts from a snapshot, the replacement procedure and
 * the boot script, at the default host paths; gzip-compressed and base64-encoded for the instance's
 * `userDataBase64` (cloud-init.ts `packUserData`). Pure: the same input renders the same bytes, so
 * user data changes, and the member is replaced, only when something the member runs with changes,
 * its certificates included.
 */
export function renderMemberUserData(input: MemberUserDataInput): string {
  const paths = DEFAULT_HOST_PATHS;
  const mounts = DEFAULT_VOLUME_MOUNT_POINTS;
  const memberName = input.member.name;
  const restoreScript =
    input.restoreSnapshotUri === undefined
      ? undefined
      : renderRestoreScript({
          snapshotUri: input.restoreSnapshotUri,
          member: input.member,
          cluster: input.cluster,
          clusterToken: input.clusterToken,
          paths,
          mounts,
          owner: ETCD_USER,
        });
  const cloudConfig = renderMemberCloudInit({
    memberName,
    osImage: input.osImage,
    etcdConfigYaml: renderEtcdConfig({
      member: input.member,
      cluster: input.cluster,
      clusterToken: input.clusterToken,
      peerNames: possibleMemberNames(input.backup.clusterName),
      version: input.etcd.version,
      paths,
      tuning: input.tuning,
      // Static bootstrap; a member that restarts with its WAL ignores every initial-* key.
      initialClusterState: "new",
    }),
    unit: renderEtcdUnit({ memberName, paths, mounts }),
    backupScript: renderBackupScript({
      clusterName: input.backup.clusterName,
      memberName,
      bucketName: input.backup.bucketName,
      paths,
      mounts,
      region: input.secrets.region,
    }),
    backupUnits: renderBackupUnits({ memberName, schedule: input.backup.schedule, mounts }),
    defragScript: renderDefragScript({ memberName, paths, quotaBackendBytes: input.tuning.quotaBackendBytes }),
    defragUnits: renderDefragUnits({ memberName, memberIndex: input.memberIndex }),
    memberMetricsScript: renderMemberMetricsScript({
      clusterName: input.backup.clusterName,
      memberName,
      region: input.secrets.region,
      paths,
      mounts,
      backupIntervalSeconds: backupIntervalSeconds(input.backup.schedule),
      renewalWindowSeconds: input.certificateRenewalHours * 3600,
    }),
    memberMetricsUnits: renderMemberMetricsUnits(memberName),
    restoreScript,
    dataVolumeId: input.dataVolumeId,
    walVolumeId: input.walVolumeId,
    etcd: input.etcd,
    secrets: input.secrets,
    certificatesFingerprint: input.certificatesFingerprint,
    paths,
    mounts,
  });
  return packUserData(memberName, cloudConfig);
}
