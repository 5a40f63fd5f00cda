#!/bin/sh
# Pre-disruption gate of one etcd member, run on the deployer by `pulumi up` before the member's
# instance is replaced or stopped (src/pulumi/pre-disruption-gate.ts; the instance depends on it).
# It asks etcd itself, through SSM on a member, whether the cluster can lose MEMBER now
# (cluster-health-check.sh: every other voter healthy, no learner pending, no alarm) and stops
# `pulumi up` (exit 1) with etcd's reasons when not. A member without an instance has nothing to
# disrupt (the cluster's first creation, a member added by a scale-up): it passes at once.
# The check runs on the other members' running instances first, then MEMBER's own, until one of
# them answers (an instance whose agent or etcd cannot run it is skipped); a refusal is asked again
# after RETRY_INTERVAL_SECONDS, up to MAX_ATTEMPTS times and not after TIMEOUT_SECONDS.
#
# The rendered copy starts with readonly settings (cluster-gate-command.ts): MEMBER, CLUSTER_FILTER
# (the describe-instances filter on the cluster tag), INSTANCE_QUERY (instance ID, state, member
# tag), CHECK_PARAMETERS (AWS-RunShellScript), MAX_ATTEMPTS, RETRY_INTERVAL_SECONDS,
# TIMEOUT_SECONDS, SSM_DELIVERY_TIMEOUT_SECONDS. Needs the AWS CLI, ec2:DescribeInstances,
# ssm:SendCommand and ssm:GetCommandInvocation.
set -u
export AWS_PAGER=""
# shellcheck source=run-on-instance.sh
. "$(dirname "$0")/run-on-instance.sh"

instances=$(aws ec2 describe-instances \
  --filters "$CLUSTER_FILTER" Name=instance-state-name,Values=pending,running,stopping,stopped \
  --query "$INSTANCE_QUERY" --output text) || {
  echo "cannot list the cluster's instances: $MEMBER is not disrupted. Run pulumi up again" >&2
  exit 1
}
if ! printf '%s\n' "$instances" | awk -v m="$MEMBER" '$3 == m { found = 1 } END { exit !found }'; then
  echo "etcd member $MEMBER has no instance: nothing to disrupt"
  exit 0
fi
# The other members' running instances first: MEMBER's own may be the broken one.
runners=$(printf '%s\n' "$instances" | awk -v m="$MEMBER" '$2 == "running" && $3 != m { print $1 }
  $2 == "running" && $3 == m { own = $1 } END { if (own != "") print own }')

deadline=$(($(date +%s) + TIMEOUT_SECONDS))
attempt=1
while :; do
  verdict="no running member of the cluster could run the check (its SSM agent or etcdctl did not answer)"
  for runner in $runners; do
    run_on_instance "$runner" "etcd pre-disruption gate $MEMBER" "$CHECK_PARAMETERS"
    [ -n "$command_id" ] || continue
    status=$(command_exit_status "$runner") || continue
    case "$status" in
      0)
        command_output "$runner"
        echo "the cluster can lose etcd member $MEMBER now (asked through $runner, attempt $attempt/$MAX_ATTEMPTS)"
        exit 0 ;;
      3)
        verdict=$(command_output "$runner")
        break ;;
    esac
  done
  if [ "$attempt" -ge "$MAX_ATTEMPTS" ] || [ $(($(date +%s) + RETRY_INTERVAL_SECONDS)) -gt "$deadline" ]; then
    break
  fi
  echo "etcd member $MEMBER may not be disrupted yet (attempt $attempt/$MAX_ATTEMPTS); asking again in ${RETRY_INTERVAL_SECONDS}s"
  attempt=$((attempt + 1))
  sleep "$RETRY_INTERVAL_SECONDS"
done
printf '%s\n' "$verdict" >&2
echo "pulumi up stops before etcd member $MEMBER's instance is replaced or stopped: the cluster cannot lose it now (above)" >&2
exit 1
