import { backupScratchDir } from "./scripts/backup-script";
import { BACKUP_SCRIPT_PATH, ETCD_USER, type VolumeMountPoints } from "./ports-and-paths";
import { renderTimedJobUnits, type TimedJobUnits } from "./timed-job-units";

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
export type BackupUnits = TimedJobUnits;

/**
 * The backup units (timed-job-units.ts). `+` runs the scratch directory's creation as root: the
 * volume's root directory belongs to root; the service may write only the data volume. The timer
 * is `Persistent`, so a run missed while the instance was off happens at boot.
 */
export function renderBackupUnits(input: BackupUnitsInput): BackupUnits {
  return renderTimedJobUnits({
    serviceDescription: `etcd snapshot to S3 from member ${input.memberName} (only when it is the healthy leader)`,
    timerDescription: `etcd snapshot schedule of member ${input.memberName}`,
    documentation: "https://etcd.io/docs/v3.5/op-guide/recovery/",
    serviceName: BACKUP_SERVICE_NAME,
    script: BACKUP_SCRIPT_PATH,
    syslogIdentifier: "etcd-backup",
    timeoutMinutes: BACKUP_TIMEOUT_MINUTES,
    onCalendar: input.schedule,
    persistent: true,
    randomizedDelaySeconds: BACKUP_RANDOMIZED_DELAY_SECONDS,
    writableMount: input.mounts.data,
    preparation: `/usr/bin/install -d -o ${ETCD_USER} -g ${ETCD_USER} -m 0700 ${backupScratchDir(input.mounts)}`,
  });
}
