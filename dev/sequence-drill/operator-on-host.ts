/**
 * An operator's command on a member's host, as the README tells them to run one: from their own
 * shell, `aws ssm send-command` with AWS-RunShellScript to the member's instance, then its output;
 * the sending and waiting are the deployer scripts' own (src/core/aws/scripts/run-on-instance.sh).
 * In the drill that `aws` is the deployer's (deployer-aws-cli.ts): SSM Run Command runs the command
 * on the member, as root, in its network namespace, host paths mapped, to its end. While it runs,
 * the host's systemd (watchEtcdStarts) starts the member's etcd when a run of its boot asks.
 */
import { readonlySettings, runOnInstanceLibrary } from "../../src/core/aws/deployer-script-source";
import type { EtcdMember } from "../local-cluster/etcd-member";
import type { CommandRun, Deployer } from "./deployer";
import type { DrillInstance } from "./deployer-aws-cli";
import { watchEtcdStarts } from "./member-boot";

/**
 * The operator's shell, given INSTANCE_ID and PARAMETERS (`{"commands": [...]}`): send, wait, show.
 * On AWS `ssm wait command-executed` gives up after about 95 s while the command goes on (the README
 * says to read a longer command's end with `get-command-invocation`); the drill's SSM has run the
 * command to its end once send-command returns.
 */
const SEND_AND_SHOW = [
  ...readonlySettings({}),
  runOnInstanceLibrary(),
  'run_on_instance "$INSTANCE_ID" "operator" "$PARAMETERS"',
  "status=$?",
  'if [ -n "$command_id" ]; then command_output "$INSTANCE_ID"; fi',
  'exit "$status"',
].join("\n");

/** Runs `command` on `instance` (the host of `member`) as the operator does; `account` is what the deployer's `aws` sees. */
export async function runOnHost(
  deployer: Deployer,
  member: EtcdMember,
  instance: DrillInstance,
  command: string,
  account: { readonly instances: readonly DrillInstance[]; readonly parameters: Readonly<Record<string, string>> },
): Promise<CommandRun> {
  const endWatch = watchEtcdStarts(member);
  try {
    const parameters = JSON.stringify({ commands: [command] });
    return await deployer.runScript(SEND_AND_SHOW, { INSTANCE_ID: instance.id, PARAMETERS: parameters }, account.instances, account.parameters);
  } finally {
    endWatch();
  }
}
