import type { EtcdHostPaths } from "../etcd/types";

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
 * Written by the boot script as its last step, on the root volume (so per instance): the member
 * booted completely (volumes, etcd, secrets, join and learner promotion, timers) and reported
 * healthy. The `healthy` health gate requires it besides etcd's /health, because a learner whose
 * promotion failed still answers /health with true.
 */
export const BOOT_COMPLETE_MARKER = "/var/lib/etcd/boot-complete";
