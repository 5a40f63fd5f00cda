/**
 * How long the deployer-side gates wait, and the longest a gate can run: `pulumi up` must fail a
 * gate in bounded time instead of hanging. Each attempt of a gate runs SSM commands whose lifetime
 * is bounded by their delivery and execution timeouts (ssm-run-command.ts), and a gate starts no
 * attempt after its timeout.
 */
import { ssmCommandLifetimeSeconds, type SsmShellCommand } from "./ssm-run-command";

/** Bounds of a gate's retries. */
export interface GateLimits {
  /** Attempts before the gate gives up. */
  readonly maxAttempts: number;
  /** Seconds between the end of one attempt and the start of the next. */
  readonly retryIntervalSeconds: number;
  /** No attempt starts later than this many seconds after the gate started. */
  readonly timeoutSeconds: number;
}

/** A member's health gate after its instance (re)started: up to 60 checks 10 s apart, none after 15 minutes. */
export const DEFAULT_HEALTH_GATE_LIMITS: GateLimits = { maxAttempts: 60, retryIntervalSeconds: 10, timeoutSeconds: 900 };

/**
 * The pre-disruption gate: a refusal is asked again twice, 10 s apart (a member that has just
 * restarted may need seconds to report healthy), then `pulumi up` stops.
 */
export const DEFAULT_PRE_DISRUPTION_GATE_LIMITS: GateLimits = { maxAttempts: 3, retryIntervalSeconds: 10, timeoutSeconds: 120 };

/**
 * The longest a gate runs, not counting the AWS API's own answer times: it starts no attempt after
 * `timeoutSeconds` and makes at most `maxAttempts`; one attempt sends `commandsPerAttempt` commands
 * at most (the pre-disruption gate tries one member after another), each ending within its
 * lifetime (delivery timeout + execution timeout + one waiter pause).
 */
export function gateWorstCaseSeconds(limits: GateLimits, command: SsmShellCommand, commandsPerAttempt = 1): number {
  const attempt = commandsPerAttempt * ssmCommandLifetimeSeconds(command);
  const byAttempts = limits.maxAttempts * attempt + (limits.maxAttempts - 1) * limits.retryIntervalSeconds;
  return Math.min(byAttempts, limits.timeoutSeconds + attempt);
}
