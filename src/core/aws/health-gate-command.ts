import { LOOPBACK_IP, BOOT_COMPLETE_MARKER } from "../member/ports-and-paths";
import { metricsUrl } from "../member/endpoints";
import { shellQuote } from "../formats/shell-quote";
import { renderRunOnInstanceFunction } from "./ssm-run-command";

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

/** Bounds of a health gate, so a member that never comes up fails the deployment instead of hanging it. */
export interface HealthGateLimits {
  /** Checks before the gate gives up. */
  readonly maxAttempts: number;
  /** Seconds between two checks. */
  readonly retryIntervalSeconds: number;
}

/** Default bounds: 60 checks 10 s apart, about 10 minutes plus the SSM round trips. */
export const DEFAULT_HEALTH_GATE_LIMITS: HealthGateLimits = { maxAttempts: 60, retryIntervalSeconds: 10 };

/** Everything a health gate script depends on; the instance ID comes from `$INSTANCE_ID` at run time. */
export interface HealthGateInput {
  /** etcd member name, for the progress lines. */
  readonly memberName: string;
  /** What the gate waits for. */
  readonly condition: HealthGateCondition;
  /** When it gives up. */
  readonly limits: HealthGateLimits;
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

/**
 * The deployer-side script of a member's health gate (POSIX sh; needs the AWS CLI and
 * `ssm:SendCommand`/`ssm:GetCommandInvocation`). Each attempt sends the member check through SSM Run
 * Command and waits for its result (`aws ssm wait command-executed`); sending fails until the new
 * instance's SSM agent has registered, which simply counts as a failed attempt. It prints one
 * progress line per attempt and exits non-zero after `maxAttempts`, failing the deployment.
 */
export function renderHealthGateScript(input: HealthGateInput): string {
  const { memberName, condition, limits } = input;
  return `#!/bin/sh
# Health gate of etcd member ${memberName}: waits until it is ${condition}. Rendered by etcd-cluster.
set -u
: "\${INSTANCE_ID:?INSTANCE_ID must be the member instance ID}"
export AWS_PAGER=""
${renderRunOnInstanceFunction([memberHealthCheckCommand(condition)])}
member=${shellQuote(memberName)}
max_attempts=${limits.maxAttempts} interval=${limits.retryIntervalSeconds}
attempt=1
while [ "$attempt" -le "$max_attempts" ]; do
  if run_on_instance "$INSTANCE_ID" "etcd health gate $member"; then
    echo "etcd member $member ($INSTANCE_ID) is ${condition} (attempt $attempt/$max_attempts)"
    exit 0
  fi
  echo "etcd member $member ($INSTANCE_ID) not ${condition} yet (attempt $attempt/$max_attempts); next check in \${interval}s"
  attempt=$((attempt + 1))
  sleep "$interval"
done
echo "etcd member $member ($INSTANCE_ID) was not ${condition} after $max_attempts attempts; see its journal: journalctl -u etcd" >&2
exit 1
`;
}
