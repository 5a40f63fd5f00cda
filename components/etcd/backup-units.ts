import { backupScratchDir } from "./backup-script";
import { ETCD_USER, type VolumeMountPoints } from "./paths";
import { ETCD_UNIT_NAME } from "./systemd";

/** Where the boot script installs the backup script (renderBackupScript). */
export const BACKUP_SCRIPT_PATH = "/usr/local/sbin/etcd-backup";

/** Unit names of the backup on every member; the boot script enables the timer only. */
export const BACKUP_SERVICE_NAME = "etcd-backup.service";
export const BACKUP_TIMER_NAME = "etcd-backup.timer";

/**
 * Upper bound of one backup run: a snapshot of etcd's largest suggested database (8 GiB) and its
 * upload take minutes; a run hanging longer is killed and logged as failed, so the next one can run.
 */
export const BACKUP_TIMEOUT_MINUTES = 60;

/**
 * Spread of the timer's start: small, so every member's run (and the leader check in it) falls
 * close to the scheduled time and a leader change in between is unlikely.
 */
export const BACKUP_RANDOMIZED_DELAY_SECONDS = 30;

/** What the backup units depend on. */
export interface BackupUnitsInput {
  /** The member's etcd name, for the descriptions. */
  readonly memberName: string;
  /** systemd `OnCalendar` expression (BackupSettings.snapshotSchedule), e.g. `*:0/30`. */
  readonly schedule: string;
  /** The data volume holds the scratch directory of the snapshot. */
  readonly mounts: VolumeMountPoints;
}

/** The two units of the backup: a oneshot service running the script and the timer that starts it. */
export interface BackupUnits {
  /** Content of BACKUP_SERVICE_NAME. */
  readonly service: string;
  /** Content of BACKUP_TIMER_NAME. */
  readonly timer: string;
}

/**
 * The backup service runs as the etcd user (it reads the member's certificate and key and writes its
 * scratch directory) at idle I/O priority and low CPU weight, so the snapshot never competes with
 * etcd's own disk and CPU. `+` runs the scratch directory's creation as root: the volume's root
 * directory belongs to root. The timer is `Persistent`, so a run missed while the instance was off
 * happens at boot.
 */
export function renderBackupUnits(input: BackupUnitsInput): BackupUnits {
  const scratch = backupScratchDir(input.mounts);
  const service = `[Unit]
Description=etcd snapshot to S3 from member ${input.memberName} (only when it is the healthy leader)
Documentation=https://etcd.io/docs/v3.5/op-guide/recovery/
Wants=network-online.target
After=network-online.target ${ETCD_UNIT_NAME}
RequiresMountsFor=${input.mounts.data}

[Service]
Type=oneshot
User=${ETCD_USER}
Group=${ETCD_USER}
ExecStartPre=+/usr/bin/install -d -o ${ETCD_USER} -g ${ETCD_USER} -m 0700 ${scratch}
ExecStart=${BACKUP_SCRIPT_PATH}
SyslogIdentifier=etcd-backup
TimeoutStartSec=${BACKUP_TIMEOUT_MINUTES}min
IOSchedulingClass=idle
Nice=10
CPUWeight=20
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=${input.mounts.data}
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
`;
  const timer = `[Unit]
Description=etcd snapshot schedule of member ${input.memberName}

[Timer]
OnCalendar=${input.schedule}
Persistent=true
RandomizedDelaySec=${BACKUP_RANDOMIZED_DELAY_SECONDS}s
Unit=${BACKUP_SERVICE_NAME}

[Install]
WantedBy=timers.target
`;
  return { service, timer };
}
