import { BACKUP_TIMER_NAME } from "../backup-units";
import { DEFRAG_TIMER_NAME } from "../defrag-units";
import {
  BOOT_COMPLETE_MARKER,
  ETCD_BIN_DIR,
  ETCD_STARTED_MARKER,
  BOOT_FAILED_MARKER,
  FINISH_BOOT_SCRIPT_PATH,
  ETCD_USER,
  type VolumeMountPoints,
  CERT_FILES,
  type EtcdHostPaths,
  JOIN_CLUSTER_SCRIPT_PATH,
  memberMetricsDir,
  RESTORE_SCRIPT_PATH,
  FSTAB_PATH,
} from "../ports-and-paths";
import { CERTIFICATE_METRICS_TIMER_NAME, MEMBER_METRICS_SOCKET_NAME } from "../member-metrics-units";
import { scriptWithSettings } from "./member-script-source";
import { MEMBER_SECRET_FILES, memberParameterName, type MemberSecretsLocation } from "../ssm-parameters";
import { shellQuote } from "../../formats/shell-quote";
import { ETCD_UNIT_NAME } from "../systemd";
import type { EtcdReleaseArtifact } from "../../etcd/versions";

/** Seconds the boot script waits for each EBS volume to be attached. */
export const VOLUME_WAIT_SECONDS = 300;

/** Environment variable that shortens VOLUME_WAIT_SECONDS; set only by the host drill (a systemd drop-in for cloud-init). */
export const VOLUME_WAIT_OVERRIDE = "ETCD_BOOT_VOLUME_WAIT_SECONDS";

/** Seconds the boot script waits for the local member to report healthy (its peers boot meanwhile). */
export const HEALTH_WAIT_SECONDS = 600;

/** Filesystem labels of the two volumes (XFS labels hold at most 12 characters). */
export const VOLUME_LABELS = { data: "etcd-data", wal: "etcd-wal" } as const;

/** What the boot script needs to know about its member. */
export interface BootScriptInput {
  /** etcd member name (logs only). */
  readonly memberName: string;
  /** EBS volume ID of the member's data volume, e.g. `vol-0123456789abcdef0`. */
  readonly dataVolumeId: string;
  /** EBS volume ID of the member's WAL volume. */
  readonly walVolumeId: string;
  readonly etcd: EtcdReleaseArtifact;
  readonly secrets: MemberSecretsLocation;
  readonly paths: EtcdHostPaths;
  readonly mounts: VolumeMountPoints;
  /**
   * True when the cluster starts from a snapshot (ClusterConfig.restore): the boot hands
   * RESTORE_SCRIPT_PATH to the join step, which runs it before etcd's first start on a member that
   * founds the cluster, never on one that joins a cluster that exists.
   */
  readonly restoresSnapshot: boolean;
}

/** SSM parameter, file and mode of each TLS file the boot fetches: the CA certificate, then the member's own. */
function secretFiles(secrets: MemberSecretsLocation, certDir: string): string[] {
  const files = [
    { parameter: secrets.caParameterName, file: CERT_FILES.ca, mode: "0644" },
    ...MEMBER_SECRET_FILES.map(({ file, mode }) => ({
      parameter: memberParameterName(secrets.memberParameterPath, file),
      file,
      mode,
    })),
  ];
  return files.map(({ parameter, file, mode }) => `  ${shellQuote(parameter)} ${shellQuote(`${certDir}/${file}`)} ${mode}`);
}

/**
 * The member's first-boot script: boot.sh beside this file (it documents the steps) with this
 * member's settings rendered as readonly lines after its shebang. With `restoresSnapshot`, the join
 * step runs the restore script on a member that founds the cluster, before etcd's first start; the
 * restore refuses (and so stops the boot, etcd never starting) rather than write over data.
 */
export function renderBootScript(input: BootScriptInput): string {
  const { paths, mounts, etcd, secrets } = input;
  const setting = (name: string, value: string) => `readonly ${name}=${shellQuote(value)}`;
  return scriptWithSettings("boot.sh", "boot-script.ts", [
    setting("member_name", input.memberName),
    setting("data_volume_id", input.dataVolumeId),
    setting("data_label", VOLUME_LABELS.data),
    setting("data_mount", mounts.data),
    setting("data_dir", paths.dataDir),
    setting("wal_volume_id", input.walVolumeId),
    setting("wal_label", VOLUME_LABELS.wal),
    setting("wal_mount", mounts.wal),
    setting("wal_dir", paths.walDir),
    setting("cert_dir", paths.certDir),
    "readonly secret_files=(",
    ...secretFiles(secrets, paths.certDir),
    ")",
    setting("etcd_user", ETCD_USER),
    setting("bin_dir", ETCD_BIN_DIR),
    setting("etcd_version", etcd.version),
    setting("etcd_url", etcd.url),
    setting("etcd_sha256", etcd.sha256),
    setting("join_cluster", JOIN_CLUSTER_SCRIPT_PATH),
    setting("restore_script", input.restoresSnapshot ? RESTORE_SCRIPT_PATH : ""),
    setting("metrics_dir", memberMetricsDir(mounts)),
    setting("metrics_socket", MEMBER_METRICS_SOCKET_NAME),
    setting("certificate_metrics_timer", CERTIFICATE_METRICS_TIMER_NAME),
    setting("unit", ETCD_UNIT_NAME),
    setting("backup_timer", BACKUP_TIMER_NAME),
    setting("defrag_timer", DEFRAG_TIMER_NAME),
    `readonly volume_wait_seconds=\${${VOLUME_WAIT_OVERRIDE}:-${VOLUME_WAIT_SECONDS}}`,
    `readonly health_wait_seconds=${HEALTH_WAIT_SECONDS}`,
    setting("fstab", FSTAB_PATH),
    setting("etcd_started_marker", ETCD_STARTED_MARKER),
    setting("boot_complete_marker", BOOT_COMPLETE_MARKER),
    setting("boot_failed_marker", BOOT_FAILED_MARKER),
    setting("finish_boot", FINISH_BOOT_SCRIPT_PATH),
    `export AWS_DEFAULT_REGION=${shellQuote(secrets.region)}`,
  ]);
}
