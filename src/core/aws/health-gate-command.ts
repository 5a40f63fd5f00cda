import { BOOT_FAILED_STATUS, ETCD_BIN_DIR, FINISH_BOOT_SCRIPT_PATH } from "../member/ports-and-paths";
import { shellQuote } from "../formats/shell-quote";
import { deployerScriptSource } from "./deployer-script-source";
import type { GateLimits } from "./gate-limits";
import { ssmShellParameters, type SsmShellCommand } from "./ssm-run-command";

/**
 * What a health gate waits for.
 * - `healthy`: the member's boot completed (BOOT_COMPLETE_MARKER) and it answers `/health` with
 *   `{"health":"true"}`. etcd's /health is true only when the member sees a leader, has no alarm
 *   and a linearizable read through it succeeds, so it needs a quorum: the right test after a
 *   restart in a running cluster. The marker, because a learner whose promotion failed answers
 *   /health with true too, and a rollout must stop at a member whose boot failed. The check is
 *   etcd-finish-boot (finish-boot.sh): a boot that started etcd but stopped before its end (its
 *   health wait gave up without quorum, its promotion refused) is finished by the check itself
 *   once etcd is healthy (promote step, marker); a boot that never started etcd still fails.
 * - `started`: etcd runs with its configuration and answers `/health` at all (a 503 "RAFT NO LEADER"
 *   counts). Used while a new cluster bootstraps: the first members cannot be healthy before a
 *   quorum of them runs, and waiting for it would deadlock the member-by-member rollout.
 * Either way, a boot that stopped before starting etcd (a refused join step, a failed download)
 * failed for good on its instance: the check exits BOOT_FAILED_STATUS with the boot's reason, and
 * the gate stops at once instead of checking again until its time limit.
 */
export type HealthGateCondition = "started" | "healthy";

/**
 * What a member's gate waits for when it is first created, i.e. while a statically bootstrapped
 * cluster comes up member after member: the members before the one that completes the quorum
 * (0-based index below quorum - 1) can only be `started`, since no leader exists before a quorum
 * of members runs; from that member on the cluster has a quorum and each must be `healthy`.
 */
export function bootstrapGateCondition(memberIndex: number, quorum: number): HealthGateCondition {
  return memberIndex + 1 >= quorum ? "healthy" : "started";
}

/** Everything a health gate script depends on; the instance ID comes from `$INSTANCE_ID` at run time. */
export interface HealthGateInput {
  /** etcd member name, for the progress lines. */
  readonly memberName: string;
  /** What the gate waits for. */
  readonly condition: HealthGateCondition;
  /** When it gives up. */
  readonly limits: GateLimits;
}

/**
 * The check run on the member itself (as root, by SSM's AWS-RunShellScript). It reads etcd's
 * `/health` on the loopback metrics listener (`listen-metrics-urls`, plain HTTP), so it needs neither
 * client certificates nor a network path from the deployer. Both run the installed etcd-finish-boot
 * (finish-boot.sh documents its exit statuses), with etcdctl on a PATH of its own (SSM's environment
 * is not a login shell's): `healthy` once (`--once`: one member list, one promotion attempt),
 * `started` as `--started`.
 */
export function memberHealthCheckCommand(condition: HealthGateCondition): string {
  const mode = { healthy: "--once", started: "--started" }[condition];
  return `PATH=${ETCD_BIN_DIR}:/usr/sbin:/usr/bin:/sbin:/bin ${shellQuote(FINISH_BOOT_SCRIPT_PATH)} ${mode}`;
}

/**
 * The SSM command of one health check. `started`: curl is bounded to 5 s, so 15 s is ample.
 * `healthy`: curl (5 s), then at most one member list and one promotion, each etcdctl call bounded
 * by its dial and command timeouts (3 + 5 s, and etcdctl's defaults of 2 + 5 s), fit in 30 s.
 */
export function healthCheckSsmCommand(condition: HealthGateCondition): SsmShellCommand {
  return { commands: [memberHealthCheckCommand(condition)], executionTimeoutSeconds: condition === "healthy" ? 30 : 15 };
}

/**
 * The deployer-side script of a member's health gate (scripts/health-gate.sh, POSIX sh; needs the
 * AWS CLI and `ssm:SendCommand`/`ssm:GetCommandInvocation`), rendered for one member.
 */
export function renderHealthGateScript(input: HealthGateInput): string {
  const { memberName, condition, limits } = input;
  return deployerScriptSource("health-gate.sh", {
    MEMBER: memberName,
    CONDITION: condition,
    CHECK_PARAMETERS: ssmShellParameters(healthCheckSsmCommand(condition)),
    BOOT_FAILED_STATUS,
    MAX_ATTEMPTS: limits.maxAttempts,
    RETRY_INTERVAL_SECONDS: limits.retryIntervalSeconds,
    TIMEOUT_SECONDS: limits.timeoutSeconds,
  });
}
