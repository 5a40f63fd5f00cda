import { BACKUP_SERVICE_NAME, BACKUP_TIMER_NAME, type BackupUnits } from "./backup-units";
import {
  BACKUP_SCRIPT_PATH,
  BOOT_SCRIPT_PATH,
  DEFRAG_SCRIPT_PATH,
  FINISH_BOOT_SCRIPT_PATH,
  JOIN_CLUSTER_SCRIPT_PATH,
  MEMBER_METRICS_SCRIPT_PATH,
  ETCD_CONFIG_FILE,
  REPLACE_MEMBER_SCRIPT_PATH,
  RESTORE_SCRIPT_PATH,
  SYSTEMD_UNIT_DIR,
} from "./ports-and-paths";
import { renderBootScript, type BootScriptInput } from "./scripts/boot-script";
import { DEFRAG_SERVICE_NAME, DEFRAG_TIMER_NAME } from "./defrag-units";
import { joinClusterScript } from "./scripts/join-script";
import { renderFinishBootScript } from "./scripts/finish-boot-script";
import {
  CERTIFICATE_METRICS_SERVICE_NAME,
  CERTIFICATE_METRICS_TIMER_NAME,
  MEMBER_METRICS_SERVICE_TEMPLATE_NAME,
  MEMBER_METRICS_SOCKET_NAME,
  type MemberMetricsUnits,
} from "./member-metrics-units";
import { replaceMemberScript } from "./scripts/replace-member-script";
import { ETCD_UNIT_NAME } from "./systemd";
import type { TimedJobUnits } from "./timed-job-units";

/** One file a member's host receives, owned by root. */
export interface MemberFile {
  /** Absolute path on the host. */
  readonly path: string;
  /** Octal mode: scripts are executable, everything else is world-readable (no secret is among them). */
  readonly mode: "0644" | "0755";
  /** The file's text. */
  readonly content: string;
}

/** What a member's files are rendered from. No secret: the boot script reads keys from SSM. */
export interface MemberFilesInput extends Omit<BootScriptInput, "restoresSnapshot"> {
  /** The member's etcd configuration file (etcd-config.ts). */
  readonly etcdConfigYaml: string;
  /** The etcd systemd unit (systemd.ts). */
  readonly unit: string;
  /** The member's backup script (backup-script.ts), run by the backup units. */
  readonly backupScript: string;
  /** The backup service and timer (backup-units.ts). */
  readonly backupUnits: BackupUnits;
  /** The member's defrag script (defrag-script.ts), run by the defrag units. */
  readonly defragScript: string;
  /** The defrag service and timer (defrag-units.ts), in the member's own slot. */
  readonly defragUnits: TimedJobUnits;
  /** The member's metrics script (member-metrics.ts): the endpoint on port 2382 and the CloudWatch publication. */
  readonly memberMetricsScript: string;
  /** Its socket, per-connection service and hourly publication (member-metrics-units.ts). */
  readonly memberMetricsUnits: MemberMetricsUnits;
  /**
   * The restore script (restore-script.ts) when the cluster starts from a snapshot; the boot script
   * then runs it before etcd starts. Absent: no restore step.
   */
  readonly restoreScript?: string;
}

/**
 * Every file a member's host gets before its boot: the etcd config, the etcd, backup, defrag and
 * member-metrics units, the backup, defrag and member-metrics scripts, the restore script when the cluster starts from a
 * snapshot, the member replacement procedure (replace-member.sh), the join step (join-cluster.sh),
 * the end of the boot (finish-boot.sh, which the health gate runs too) and the boot script (BOOT_SCRIPT_PATH), which the bootstrap runs once they are in place. They
 * travel in the member's bundle (member-bundle.ts), not in the user data.
 */
export function renderMemberFiles(input: MemberFilesInput): readonly MemberFile[] {
  const restoresSnapshot = input.restoreScript !== undefined;
  const file = (path: string, mode: MemberFile["mode"], content: string): MemberFile => ({ path, mode, content });
  return [
    file(ETCD_CONFIG_FILE, "0644", input.etcdConfigYaml),
    file(`${SYSTEMD_UNIT_DIR}/${ETCD_UNIT_NAME}`, "0644", input.unit),
    file(`${SYSTEMD_UNIT_DIR}/${BACKUP_SERVICE_NAME}`, "0644", input.backupUnits.service),
    file(`${SYSTEMD_UNIT_DIR}/${BACKUP_TIMER_NAME}`, "0644", input.backupUnits.timer),
    file(BACKUP_SCRIPT_PATH, "0755", input.backupScript),
    file(`${SYSTEMD_UNIT_DIR}/${DEFRAG_SERVICE_NAME}`, "0644", input.defragUnits.service),
    file(`${SYSTEMD_UNIT_DIR}/${DEFRAG_TIMER_NAME}`, "0644", input.defragUnits.timer),
    file(DEFRAG_SCRIPT_PATH, "0755", input.defragScript),
    file(`${SYSTEMD_UNIT_DIR}/${MEMBER_METRICS_SOCKET_NAME}`, "0644", input.memberMetricsUnits.socket),
    file(`${SYSTEMD_UNIT_DIR}/${MEMBER_METRICS_SERVICE_TEMPLATE_NAME}`, "0644", input.memberMetricsUnits.serviceTemplate),
    file(`${SYSTEMD_UNIT_DIR}/${CERTIFICATE_METRICS_SERVICE_NAME}`, "0644", input.memberMetricsUnits.publication.service),
    file(`${SYSTEMD_UNIT_DIR}/${CERTIFICATE_METRICS_TIMER_NAME}`, "0644", input.memberMetricsUnits.publication.timer),
    file(MEMBER_METRICS_SCRIPT_PATH, "0755", input.memberMetricsScript),
    ...(input.restoreScript === undefined ? [] : [file(RESTORE_SCRIPT_PATH, "0755", input.restoreScript)]),
    file(REPLACE_MEMBER_SCRIPT_PATH, "0755", replaceMemberScript()),
    file(JOIN_CLUSTER_SCRIPT_PATH, "0755", joinClusterScript()),
    file(FINISH_BOOT_SCRIPT_PATH, "0755", renderFinishBootScript()),
    file(BOOT_SCRIPT_PATH, "0755", renderBootScript({ ...input, restoresSnapshot })),
  ];
}
