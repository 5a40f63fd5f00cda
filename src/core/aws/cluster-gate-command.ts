/**
 * The pre-disruption gate: before a member's instance is replaced or stopped, the deployer asks
 * etcd, through SSM on a member, whether the cluster can lose that member now
 * (member/scripts/cluster-health-check.sh), and stops `pulumi up` when not (scripts/cluster-gate.sh).
 */
import { createHash } from "node:crypto";
import { memberScriptSource } from "../member/scripts/member-script-source";
import { deployerScriptSource } from "./deployer-script-source";
import type { GateLimits } from "./gate-limits";
import { shippedMemberScriptCommand, ssmShellParameters, type SsmShellCommand } from "./ssm-run-command";

/** The member-side check (cluster-health-check.sh, member-config-lib.sh inlined). */
export function clusterHealthCheckScript(): string {
  return memberScriptSource("cluster-health-check.sh");
}

/**
 * The SSM command asking whether `disruptedMember` may go down now. At most five etcdctl calls
 * (member list, the promotion of the one learner etcd 3.5 admits, member list again, endpoint
 * health, alarm list), each bounded by the script's dial (3 s) and command (5 s) timeouts, fit in 45 s.
 */
export function clusterHealthCheckSsmCommand(disruptedMember: string): SsmShellCommand {
  return { commands: [shippedMemberScriptCommand("cluster-health-check.sh", [disruptedMember])], executionTimeoutSeconds: 45 };
}

/** Which member's gate, in which cluster. */
export interface ClusterGateInput {
  /** etcd name of the member about to be disrupted. */
  readonly memberName: string;
  /** ClusterConfig.clusterName: the `etcd:cluster` tag of the instances searched. */
  readonly clusterName: string;
  /** The instance tags' keys (aws/tags.ts TAG_KEYS): cluster and member. */
  readonly tagKeys: { readonly cluster: string; readonly member: string };
  /** How often a refusal is asked again. */
  readonly limits: GateLimits;
}

/** The deployer-side script of a member's pre-disruption gate (scripts/cluster-gate.sh, POSIX sh). */
export function renderClusterGateScript(input: ClusterGateInput): string {
  return deployerScriptSource("cluster-gate.sh", {
    MEMBER: input.memberName,
    CLUSTER_FILTER: `Name=tag:${input.tagKeys.cluster},Values=${input.clusterName}`,
    // JMESPath: one `<instance ID> <state> <member tag>` line per instance in text output.
    INSTANCE_QUERY: `Reservations[].Instances[].[InstanceId,State.Name,Tags[?Key=='${input.tagKeys.member}']|[0].Value]`,
    CHECK_PARAMETERS: ssmShellParameters(clusterHealthCheckSsmCommand(input.memberName)),
    MAX_ATTEMPTS: input.limits.maxAttempts,
    RETRY_INTERVAL_SECONDS: input.limits.retryIntervalSeconds,
    TIMEOUT_SECONDS: input.limits.timeoutSeconds,
  });
}

/**
 * A digest of the inputs whose change replaces or stops a member's instance (an AMI, user data
 * with `userDataReplaceOnChange`, the ENI or the root volume's key: a replacement; an instance type:
 * a stop and start; a volume: its attachment is replaced, which stops the instance first). The
 * pre-disruption gate carries it in its environment, so every `pulumi up` that will disrupt the
 * instance updates the gate, and runs it, first.
 */
export function instanceDisruptionDigest(inputs: Readonly<Record<string, string | undefined>>): string {
  const ordered = Object.keys(inputs)
    .sort()
    .map((key) => [key, inputs[key] ?? ""]);
  return createHash("sha256").update(JSON.stringify(ordered)).digest("hex");
}
