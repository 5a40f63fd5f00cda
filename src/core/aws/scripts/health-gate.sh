#!/bin/sh
# Health gate of one etcd member, run on the deployer by `pulumi up` (src/pulumi/health-gate.ts)
# after the member's instance was created, replaced or restarted: waits until the member is
# CONDITION (`started` or `healthy`, health-gate-command.ts), so the next member's instance is not
# touched before. Each attempt sends CHECK_PARAMETERS (AWS-RunShellScript) to $INSTANCE_ID through
# SSM Run Command and waits for its result; a send fails until the new instance's SSM agent has
# registered, which counts as a failed attempt. One progress line per attempt; gives up, exit 1,
# after MAX_ATTEMPTS attempts or once the next would start after TIMEOUT_SECONDS. A check that exits
# BOOT_FAILED_STATUS (etcd-finish-boot: the member's boot stopped before starting etcd, and nothing
# on the instance runs it again) stops the gate at once, exit 1, with the check's output (the boot's
# reason: a refusal names the operator's command). The status is read from SSM's answer
# (GetCommandInvocation ResponseCode, the script's exit status), not from the output's text.
#
# The rendered copy starts with readonly settings (health-gate-command.ts): MEMBER, CONDITION,
# CHECK_PARAMETERS, MAX_ATTEMPTS, RETRY_INTERVAL_SECONDS, TIMEOUT_SECONDS, BOOT_FAILED_STATUS,
# SSM_DELIVERY_TIMEOUT_SECONDS. Needs the AWS CLI and ssm:SendCommand / ssm:GetCommandInvocation.
set -u
: "${INSTANCE_ID:?INSTANCE_ID must be the member instance ID}"
export AWS_PAGER=""
# shellcheck source=run-on-instance.sh
. "$(dirname "$0")/run-on-instance.sh"

deadline=$(($(date +%s) + TIMEOUT_SECONDS))
attempt=1
while :; do
  if run_on_instance "$INSTANCE_ID" "etcd health gate $MEMBER" "$CHECK_PARAMETERS"; then
    echo "etcd member $MEMBER ($INSTANCE_ID) is $CONDITION (attempt $attempt/$MAX_ATTEMPTS)"
    exit 0
  fi
  # -1 (the command has not run) or no answer at all: an ordinary failed attempt.
  if [ -n "$command_id" ] && [ "$(command_exit_status "$INSTANCE_ID")" = "$BOOT_FAILED_STATUS" ]; then
    command_output "$INSTANCE_ID" >&2
    echo "etcd member $MEMBER ($INSTANCE_ID): its boot failed for good (attempt $attempt/$MAX_ATTEMPTS): it stopped before starting etcd," \
      "for the reason above, and nothing on the instance runs it again. Do what the reason says on the instance, as root" \
      "(aws ssm start-session --target $INSTANCE_ID; a refusal names its command), or fix the cause and run etcd-member-boot there," \
      "then run pulumi up again" >&2
    exit 1
  fi
  if [ "$attempt" -ge "$MAX_ATTEMPTS" ] || [ $(($(date +%s) + RETRY_INTERVAL_SECONDS)) -gt "$deadline" ]; then
    if [ -n "$command_id" ]; then command_output "$INSTANCE_ID" >&2; fi
    break
  fi
  echo "etcd member $MEMBER ($INSTANCE_ID) not $CONDITION yet (attempt $attempt/$MAX_ATTEMPTS); next check in ${RETRY_INTERVAL_SECONDS}s"
  attempt=$((attempt + 1))
  sleep "$RETRY_INTERVAL_SECONDS"
done
echo "etcd member $MEMBER ($INSTANCE_ID) was not $CONDITION after $attempt attempt(s) (limits: $MAX_ATTEMPTS attempts, ${TIMEOUT_SECONDS}s)." \
  "A failed boot is in /var/log/cloud-init-output.log on the instance, etcd's own log in journalctl -u etcd" \
  "(aws ssm start-session --target $INSTANCE_ID). Fix the cause, then run pulumi up again" >&2
exit 1
