import type { OsImage, RestoreSettings } from "../config/types";
import { renderBackupScript } from "./scripts/backup-script";
import { renderBackupUnits } from "./backup-units";
import { encodeUserData, renderMemberCloudInit } from "./cloud-init";
import { renderDefragScript } from "./scripts/defrag-script";
import { renderDefragUnits } from "./defrag-units";
import { backupIntervalSeconds } from "../formats/calendar-interval";
import { renderEtcdConfig } from "./etcd-config";
import { renderMemberMetricsScript } from "./scripts/member-metrics";
import { renderMemberMetricsUnits } from "./member-metrics-units";
import { memberBundleKey, packMemberBundle } from "./member-bundle";
import { renderMemberFiles } from "./member-files";
import { DEFAULT_HOST_PATHS, DEFAULT_VOLUME_MOUNT_POINTS, ETCD_USER } from "./ports-and-paths";
import { renderRestoreScript } from "./scripts/restore-script";
import type { MemberSecretsLocation } from "./ssm-parameters";
import { renderEtcdUnit } from "./systemd";
import { possibleMemberNames } from "../etcd/topology";
import type { EtcdTuning, MemberEndpoint } from "../etcd/types";
import type { EtcdReleaseArtifact } from "../etcd/versions";

/** Everything one member's bundle and user data are rendered from, as plain values (resolved outputs). */
export interface MemberBootInput {
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
  /** The cluster's backup bucket: its etcd snapshots, and each member's bundle. */
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
  /** The snapshot, pinned by its digest, when the cluster starts from one; absent otherwise. */
  readonly restore?: RestoreSettings;
}

/** A member's bundle object: where the bootstrap downloads it from and what it holds. */
export interface MemberBundleObject {
  /** The backup bucket's name. */
  readonly bucketName: string;
  /** `<cluster>/members/<member>/bundle-<sha256>.tar.gz` (etcd/member-bundle.ts `memberBundleKey`). */
  readonly key: string;
  /** The archive, base64-encoded: an S3 object's `contentBase64`. */
  readonly contentBase64: string;
  /** Hex SHA-256 of the archive, pinned in the user data. */
  readonly sha256: string;
}

/** What one member boots from: its bundle in S3 and the user data that fetches it. */
export interface MemberBoot {
  readonly bundle: MemberBundleObject;
  /** The bootstrap cloud-config, base64-encoded for the instance's `userDataBase64`. */
  readonly userDataBase64: string;
}

/**
 * A member's files (etcd configuration, the etcd unit, the backup and defrag scripts and units, the
 * restore script when the cluster starts from a snapshot, the replacement and join procedures and
 * the boot script, at the default host paths) packed as its bundle, and the bootstrap user data
 * that pins the bundle's digest. Pure: the same input renders the same bytes, so the user data
 * changes, and the member is replaced, only when something the member runs with changes, its
 * certificates included.
 */
export function renderMemberBoot(input: MemberBootInput): MemberBoot {
  const paths = DEFAULT_HOST_PATHS;
  const mounts = DEFAULT_VOLUME_MOUNT_POINTS;
  const memberName = input.member.name;
  const restoreScript =
    input.restore === undefined
      ? undefined
      : renderRestoreScript({
          snapshotUri: input.restore.snapshotUri,
          snapshotSha256: input.restore.snapshotSha256,
          member: input.member,
          cluster: input.cluster,
          clusterToken: input.clusterToken,
          paths,
          mounts,
          owner: ETCD_USER,
        });
  const files = renderMemberFiles({
    memberName,
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
      quotaBackendBytes: input.tuning.quotaBackendBytes,
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
    paths,
    mounts,
  });
  const { archive, sha256 } = packMemberBundle(files);
  const bundle: MemberBundleObject = {
    bucketName: input.backup.bucketName,
    key: memberBundleKey(input.backup.clusterName, memberName, sha256),
    contentBase64: Buffer.from(archive).toString("base64"),
    sha256,
  };
  const cloudConfig = renderMemberCloudInit({
    memberName,
    osImage: input.osImage,
    etcd: input.etcd,
    region: input.secrets.region,
    bundleUri: `s3://${bundle.bucketName}/${bundle.key}`,
    bundleSha256: sha256,
    certificatesFingerprint: input.certificatesFingerprint,
  });
  return { bundle, userDataBase64: encodeUserData(memberName, cloudConfig) };
}
