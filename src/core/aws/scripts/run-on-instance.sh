# shellcheck shell=sh
# Shared by the deployer-side scripts (health-gate.sh, cluster-gate.sh, the member removal);
# deployer-script-source.ts inlines it where a script sources it. The script's rendered header sets
# SSM_DELIVERY_TIMEOUT_SECONDS (deployer-script-source.ts, ssm-run-command.ts).

# run_on_instance INSTANCE_ID COMMENT PARAMETERS_JSON: sends AWS-RunShellScript with PARAMETERS_JSON
# (`commands` and `executionTimeout`) to the instance and waits for it (`aws ssm wait
# command-executed`). `--timeout-seconds`: a command the agent has not started by then never runs.
# Sets `command_id`; fails when the send fails (the instance's SSM agent not registered yet, say) or
# the command fails, times out or is cancelled on the instance.
run_on_instance() {
  command_id=""
  command_id=$(aws ssm send-command \
      --instance-ids "$1" \
      --document-name AWS-RunShellScript \
      --comment "$2" \
      --timeout-seconds "$SSM_DELIVERY_TIMEOUT_SECONDS" \
      --parameters "$3" \
      --query Command.CommandId --output text) &&
    aws ssm wait command-executed --command-id "$command_id" --instance-id "$1"
}

# command_exit_status INSTANCE_ID: the exit status of the last command sent there (-1: it never ran).
# shellcheck disable=SC2317 # not every script that inlines this library calls it
command_exit_status() {
  aws ssm get-command-invocation --command-id "$command_id" --instance-id "$1" --query ResponseCode --output text
}

# command_output INSTANCE_ID: what the last command sent there printed (stdout, then stderr).
# shellcheck disable=SC2317 # not every script that inlines this library calls it
command_output() {
  aws ssm get-command-invocation --command-id "$command_id" --instance-id "$1" \
    --query '[StandardOutputContent,StandardErrorContent]' --output text
}
