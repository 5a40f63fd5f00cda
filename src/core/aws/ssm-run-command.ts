import { shellQuote } from "../formats/shell-quote";

/**
 * A POSIX sh function for deployer-side scripts: `run_on_instance INSTANCE_ID COMMENT` sends
 * `commands` to the instance through SSM Run Command (AWS-RunShellScript, as root) and waits for
 * them (`aws ssm wait command-executed`). It sets `command_id` and fails when the send fails (the
 * instance's SSM agent not registered yet, say) or the commands fail on the instance. Needs the AWS
 * CLI and ssm:SendCommand / ssm:GetCommandInvocation.
 */
export function renderRunOnInstanceFunction(commands: readonly string[]): string {
  const parameters = JSON.stringify({ commands });
  return `run_on_instance() {
  command_id=$(aws ssm send-command \\
      --instance-ids "$1" \\
      --document-name AWS-RunShellScript \\
      --comment "$2" \\
      --parameters ${shellQuote(parameters)} \\
      --query Command.CommandId --output text) &&
    aws ssm wait command-executed --command-id "$command_id" --instance-id "$1"
}`;
}
