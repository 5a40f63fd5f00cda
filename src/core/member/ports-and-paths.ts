/**
 * Ports and file paths on a member, in one place: etcd's ports and the member's own, the volumes'
 * mount points, etcd's directories, the certificate files, the config file, the binaries, the
 * user etcd runs as, and the boot's completion marker. Security groups, URLs, the rendered
 * files and scripts, and the e2e harness's path mapping all read them from here.
 */

/** etcd's ports; see docs/facts.md. Security groups and URLs use these and nothing else. */
export const ETCD_PORTS = {
  /** Client API (gRPC and HTTP gateway), TLS with client certificates. */
  client: 2379,
  /** Raft peer traffic between members, TLS with peer certificates. */
  peer: 2380,
  /** `listen-metrics-urls`: /metrics and /health for Prometheus, plain HTTP, monitoring CIDRs only. */
  metrics: 2381,
  /**
   * Not etcd's: the member's own metrics (backup, certificates; member-metrics.ts), plain HTTP,
   * served by a systemd socket, reachable from the monitoring CIDRs only.
   */
  memberMetrics: 2382,
} as const;

/** File names inside EtcdHostPaths.certDir. */
export const CERT_FILES = {
  ca: "ca.crt",
  serverCert: "server.crt",
  serverKey: "server.key",
  peerCert: "peer.crt",
  peerKey: "peer.key",
} as const;

/** Loopback address every member also listens on for clients, so tools on the host need no routing. */
export const LOOPBACK_IP = "127.0.0.1";

/** Host paths on a member. The e2e harness maps exactly these (and nothing else) into a temp dir. */
export interface EtcdHostPaths {
  /** `data-dir`: a directory on the data volume, one level below its mount point (DEFAULT_VOLUME_MOUNT_POINTS says why). */
  readonly dataDir: string;
  /** `wal-dir`: a directory on the WAL volume (its own disk), one level below its mount point; never under data-dir. */
  readonly walDir: string;
  /** Directory holding the CA certificate and the member's server and peer certificate and key. */
  readonly certDir: string;
}

/** Where a member's two EBS volumes are mounted. Each holds exactly one of etcd's directories. */
export interface VolumeMountPoints {
  /** Mount point of the data volume; `data-dir` is a directory inside it. */
  readonly data: string;
  /** Mount point of the WAL volume; `wal-dir` is a directory inside it. */
  readonly wal: string;
}

/**
 * Default mount points. etcd's directories are one level below them, never the mount points
 * themselves: etcd creates the WAL as `<wal-dir>.tmp` and then removes `wal-dir` and renames the temp
 * directory onto it (server/storage/wal/wal.go `Create`), which fails on a mount point ("unlinkat …:
 * device or resource busy", seen with etcd 3.5.16). A sub-directory keeps the temp directory on the
 * same volume and the rename atomic; the data directory follows the same rule, so a restore
 * (`etcdutl snapshot restore` wants an empty or missing `data-dir`) never meets a filesystem's own
 * entries such as ext4's `lost+found`.
 */
export const DEFAULT_VOLUME_MOUNT_POINTS: VolumeMountPoints = {
  data: "/var/lib/etcd/data",
  wal: "/var/lib/etcd/wal",
};

/** Default host paths of a member; `data-dir` and `wal-dir` are on different volumes, never nested. */
export const DEFAULT_HOST_PATHS: EtcdHostPaths = {
  dataDir: `${DEFAULT_VOLUME_MOUNT_POINTS.data}/etcd`,
  walDir: `${DEFAULT_VOLUME_MOUNT_POINTS.wal}/etcd`,
  certDir: "/etc/etcd/pki",
};

/** The member's etcd configuration file, passed as `--config-file`. */
export const ETCD_CONFIG_FILE = "/etc/etcd/etcd.conf.yml";

/** Directory the boot script installs `etcd`, `etcdctl` and `etcdutl` into. */
export const ETCD_BIN_DIR = "/usr/local/bin";

/** System user and group etcd runs as; owns the data and WAL volumes and the member's keys. */
export const ETCD_USER = "etcd";

/**
 * Written by etcd-finish-boot (finish-boot.sh) as the boot's last step, on the root volume (so per
 * instance): the member booted completely (volumes, etcd, secrets, join and learner promotion,
 * timers) and reported healthy. The `healthy` health gate requires it besides etcd's /health,
 * because a learner whose promotion failed still answers /health with true.
 */
export const BOOT_COMPLETE_MARKER = "/var/lib/etcd/boot-complete";

/**
 * Written by the boot script once it has started etcd and enabled its timers, on the root volume
 * (so per instance): from then on, etcd-finish-boot (FINISH_BOOT_SCRIPT_PATH) may finish the boot
 * (promote step, BOOT_COMPLETE_MARKER) once etcd is healthy. A boot that stopped before (a refused
 * join, a failed download) never writes it, and writes BOOT_FAILED_MARKER instead.
 */
export const ETCD_STARTED_MARKER = "/var/lib/etcd/boot-etcd-started";

/**
 * Written by the boot script when it stops before it has started etcd (a refused join step, a
 * failed download or checksum), on the root volume (so per instance): the boot's last lines, its
 * reason. Nothing on the instance runs that boot again (cloud-init runs it once), so the member's
 * health gate stops at its first check and prints the reason (etcd-finish-boot, exit status
 * BOOT_FAILED_STATUS). A new run of the boot (the operator's `etcd-replace-member &&
 * etcd-member-boot`) removes it when it starts.
 */
export const BOOT_FAILED_MARKER = "/var/lib/etcd/boot-failed";

/**
 * Exit status of etcd-finish-boot (the health gate's check) for a boot that failed for good on its
 * instance (BOOT_FAILED_MARKER without ETCD_STARTED_MARKER); SSM reports it as the command's
 * ResponseCode, and the gate stops on it instead of retrying. 0 passes, 1 is "not yet", 2 a usage error.
 */
export const BOOT_FAILED_STATUS = 3;

/** Where the systemd units in a member's bundle are installed. */
export const SYSTEMD_UNIT_DIR = "/etc/systemd/system";

/** Where cloud-init writes the bootstrap (member-bootstrap.sh); runcmd runs it once per instance. */
export const BOOTSTRAP_SCRIPT_PATH = "/usr/local/sbin/etcd-member-bootstrap";

/** Where cloud-init writes the boot script; runcmd runs it once per instance. */
export const BOOT_SCRIPT_PATH = "/usr/local/sbin/etcd-member-boot";

/** The file system table the boot script adds each volume's mount to. */
export const FSTAB_PATH = "/etc/fstab";

/** Where cloud-init installs the join step on every member; the boot script runs it. */
export const JOIN_CLUSTER_SCRIPT_PATH = "/usr/local/sbin/etcd-join-cluster";

/** Where cloud-init installs the end of the boot (finish-boot.sh) on every member; the boot script and the health gate run it. */
export const FINISH_BOOT_SCRIPT_PATH = "/usr/local/sbin/etcd-finish-boot";

/** Where cloud-init installs the replace-member procedure on every member. */
export const REPLACE_MEMBER_SCRIPT_PATH = "/usr/local/sbin/etcd-replace-member";

/** Where the boot script installs the backup script (renderBackupScript). */
export const BACKUP_SCRIPT_PATH = "/usr/local/sbin/etcd-backup";

/** Where the boot script installs the defrag script (renderDefragScript). */
export const DEFRAG_SCRIPT_PATH = "/usr/local/sbin/etcd-defrag";

/** Where the boot script installs the restore script. */
export const RESTORE_SCRIPT_PATH = "/usr/local/sbin/etcd-restore";

/** Where the boot script installs member-metrics.sh. */
export const MEMBER_METRICS_SCRIPT_PATH = "/usr/local/sbin/etcd-member-metrics";

/**
 * Directory of the metric files the backup script writes (`*.prom`) and the endpoint serves: on the
 * data volume, beside etcd's data-dir, so a replaced instance still reports the member's last backup.
 */
export function memberMetricsDir(mounts: VolumeMountPoints): string {
  return `${mounts.data}/etcd-metrics`;
}
