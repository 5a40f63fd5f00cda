import { LOOPBACK_IP, BOOT_COMPLETE_MARKER } from "../member/ports-and-paths";
import { metricsUrl } from "../member/endpoints";
import { shellQuote } from "../formats/shell-quote";
import { deployerScriptSource } from "./deployer-script-source";
import type { GateLimits } from "./gate-limits";
import { ssmShellParameters, type SsmShellCommand } from "./ssm-run-command";

/**
 * What a health gate waits for.
 * - `healthy`: the member's boot script completed (BOOT_COMPLETE_MARKER) and it answers `/health`
 *   with `{"health":"true"}`. etcd's /health is true only when the member sees a leader, has no
 *   alarm and a linearizable read through it succeeds, so it needs a quorum: the right test after a
 *   restart in a running cluster. The marker, because a learner whose promotion failed answers
 *   /health with true too, and a rollout must stop at a member whose boot failed.
 * - `started`: etcd runs with its configuration and answers `/health` at all (a 503 "RAFT NO LEADER"
 *   counts). Used while a new cluster bootstraps: the first members cannot be healthy before a
 *   quorum of them runs, and waiting for it would deadlock the member-by-member rollout.
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
 * client certificates nor a network path from the deployer.
 */
export function memberHealthCheckCommand(condition: HealthGateCondition): string {
  const url = `${metricsUrl(LOOPBACK_IP)}/health`;
  switch (condition) {
    case "healthy":
      return `test -f ${shellQuote(BOOT_COMPLETE_MARKER)} && curl -fsS --max-time 5 ${url} | grep -q '"health":"true"'`;
    case "started":
      return `curl -sS --max-time 5 -o /dev/null ${url}`;
    default: {
      const unknown: never = condition;
      throw new Error(`unknown health gate condition ${String(unknown)}`);
    }
  }
}

/** The SSM command of one health check: curl is bounded to 5 s, so 15 s is ample. */
export function healthCheckSsmCommand(condition: HealthGateCondition): SsmShellCommand {
  return { commands: [memberHealthCheckCommand(condition)], executionTimeoutSeconds: 15 };
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
    MAX_ATTEMPTS: limits.maxAttempts,
    RETRY_INTERVAL_SECONDS: limits.retryIntervalSeconds,
    TIMEOUT_SECONDS: limits.timeoutSeconds,
  });
}
