import { ETCD_BIN_DIR } from "../member/ports-and-paths";
import { memberScriptSource } from "../member/scripts/member-script-source";
import { shellQuote } from "../formats/shell-quote";

/**
 * SendCommand's `TimeoutSeconds` (the CLI's `--timeout-seconds`): a command the instance's agent
 * has not started by then never runs. 30 is the API's minimum (botocore ssm service-2.json,
 * shape TimeoutSeconds: min 30).
 */
export const SSM_DELIVERY_TIMEOUT_SECONDS = 30;

/**
 * `aws ssm wait command-executed` (botocore ssm waiters-2.json, CommandExecuted): polls
 * GetCommandInvocation every 5 s, at most 20 times, then gives up whatever the command's state.
 * So it gives up 19 × 5 = 95 s after its first poll: every command it waits for must end before.
 */
export const SSM_COMMAND_WAITER = { delaySeconds: 5, maxAttempts: 20 } as const;

/** How long the waiter waits at most: the pauses between its polls. */
export function ssmWaiterSpanSeconds(): number {
  return SSM_COMMAND_WAITER.delaySeconds * (SSM_COMMAND_WAITER.maxAttempts - 1);
}

/** Commands for AWS-RunShellScript and the execution timeout they run under. */
export interface SsmShellCommand {
  readonly commands: readonly string[];
  /**
   * AWS-RunShellScript's `executionTimeout` (seconds; the document's default is 3600): the agent
   * kills the commands after it and reports TimedOut.
   */
  readonly executionTimeoutSeconds: number;
}

/**
 * The longest a sent command can stay unfinished: not started within the delivery timeout, or
 * started and killed after its execution timeout, plus one waiter pause to notice.
 */
export function ssmCommandLifetimeSeconds(command: SsmShellCommand): number {
  return SSM_DELIVERY_TIMEOUT_SECONDS + command.executionTimeoutSeconds + SSM_COMMAND_WAITER.delaySeconds;
}

/**
 * The `--parameters` JSON of AWS-RunShellScript. Throws when the command could outlive the waiter:
 * the waiter would report a failure while the command still runs, and the next attempt would
 * start a second copy beside it.
 */
export function ssmShellParameters(command: SsmShellCommand): string {
  if (ssmCommandLifetimeSeconds(command) > ssmWaiterSpanSeconds()) {
    throw new Error(
      `an SSM command with executionTimeout ${command.executionTimeoutSeconds} s can outlive aws ssm wait command-executed ` +
        `(${ssmWaiterSpanSeconds()} s): at most ${ssmWaiterSpanSeconds() - SSM_DELIVERY_TIMEOUT_SECONDS - SSM_COMMAND_WAITER.delaySeconds} s`,
    );
  }
  return JSON.stringify({ commands: command.commands, executionTimeout: [String(command.executionTimeoutSeconds)] });
}

/**
 * A member script (beside member-script-source.ts, library inlined) as one SSM command line:
 * shipped inline (base64, so no quoting can break it and the member needs no installed copy), run
 * by bash with etcd's binaries on a PATH of its own (SSM's environment is not a login shell's).
 */
export function shippedMemberScriptCommand(fileName: string, args: readonly string[]): string {
  const script = Buffer.from(memberScriptSource(fileName), "utf8").toString("base64");
  return `echo ${script} | base64 -d | PATH=${ETCD_BIN_DIR}:/usr/sbin:/usr/bin:/sbin:/bin bash -s -- ${args.map(shellQuote).join(" ")}`;
}
