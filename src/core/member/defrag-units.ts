import { DEFRAG_COMMAND_TIMEOUT_MINUTES } from "./scripts/defrag-script";
import { DEFRAG_SCRIPT_PATH } from "./ports-and-paths";
import { renderTimedJobUnits, type TimedJobUnits } from "./timed-job-units";

/** Unit names of the defrag on every member; the boot script enables the timer only. */
export const DEFRAG_SERVICE_NAME = "etcd-defrag.service";
export const DEFRAG_TIMER_NAME = "etcd-defrag.timer";

/**
 * Member 0's daily defrag time, minutes after midnight UTC (03:15). A quiet hour for most clusters,
 * and a quarter past, so that a short defrag is over before the backups' default `*:0/30` runs.
 */
export const DEFRAG_FIRST_SLOT_MINUTES = 3 * 60 + 15;

/**
 * Minutes between two members' defrag times: member i runs at DEFRAG_FIRST_SLOT_MINUTES + i × this.
 * More than a run may take (DEFRAG_COMMAND_TIMEOUT_MINUTES plus the checks), so a run ends before
 * the next member's begins; 7 members end at 06:15.
 */
export const DEFRAG_SLOT_MINUTES = 30;

/** `TimeoutStartSec` of a run: the defrag's own timeout plus a few minutes for the checks around it. */
const DEFRAG_SERVICE_TIMEOUT_MINUTES = DEFRAG_COMMAND_TIMEOUT_MINUTES + 5;

/**
 * systemd `OnCalendar` of member `memberIndex`'s defrag: daily, in its own slot. A fixed stagger,
 * not `RandomizedDelaySec`: random delays are independent per member and may coincide, and two
 * members blocked at once in a 3-member cluster lose the quorum. Not `Persistent` either: a run
 * caught up at boot would fall outside the member's slot; a missed defrag waits for the next day.
 */
export function defragSchedule(memberIndex: number): string {
  const minutes = (DEFRAG_FIRST_SLOT_MINUTES + memberIndex * DEFRAG_SLOT_MINUTES) % (24 * 60);
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `*-*-* ${hh}:${mm}:00 UTC`;
}

/** What the defrag units depend on. */
export interface DefragUnitsInput {
  /** The member's etcd name, for the descriptions. */
  readonly memberName: string;
  /** The member's 0-based index (MemberSpec.index): decides its slot (defragSchedule). */
  readonly memberIndex: number;
}

/** The defrag units (timed-job-units.ts): the script writes nothing, so the service may write nowhere. */
export function renderDefragUnits(input: DefragUnitsInput): TimedJobUnits {
  return renderTimedJobUnits({
    serviceDescription: `etcd defragmentation of member ${input.memberName} (only when every member is healthy)`,
    timerDescription: `etcd defragmentation slot of member ${input.memberName}`,
    documentation: "https://etcd.io/docs/v3.5/op-guide/maintenance/",
    serviceName: DEFRAG_SERVICE_NAME,
    script: DEFRAG_SCRIPT_PATH,
    syslogIdentifier: "etcd-defrag",
    timeoutMinutes: DEFRAG_SERVICE_TIMEOUT_MINUTES,
    onCalendar: defragSchedule(input.memberIndex),
    persistent: false,
  });
}
