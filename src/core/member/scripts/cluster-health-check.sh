#!/usr/bin/env bash
# The cluster-wide check before a member is disrupted (its instance replaced or stopped): asks etcd
# itself, through this member's client identity, whether the cluster can lose that member now.
# Runs on any member, as root, through SSM (the pre-disruption gate, src/core/aws/cluster-gate.sh):
#   cluster-health-check [--config /etc/etcd/etcd.conf.yml] DISRUPTED_NAME
#
# It passes only when
# - every voter but DISRUPTED_NAME is healthy (`etcdctl endpoint health --cluster`: a member whose
#   client URL answers a linearizable read; a voter that never started has no client URL, and is
#   down). DISRUPTED_NAME itself may be down: replacing a member that is down takes no other down;
# - no learner other than DISRUPTED_NAME waits for its promotion (`member list -w json`, IsLearner):
#   a learner counts in no quorum, so the cluster already runs a voter short. Each such learner is
#   asked to be promoted first (promote_learner, member-config-lib.sh, as etcd-join-cluster asks;
#   etcd 3.5 refuses a learner whose log is not yet close to the leader's: "can only promote a
#   learner member which is in sync with leader"): promoted, it is a voter like the others (a
#   PROMOTED line says so); any other answer, and the gate refuses with etcd's reason. So a learner whose own promotion gave up (its boot, its health gate)
#   is promoted by the next `up` before any member is disrupted;
# - no alarm is raised (`alarm list`): NOSPACE refuses writes, CORRUPT means a member diverged.
# Exit status: 0 pass, 3 refused (one line per reason on stdout, each naming the member and the
# fix), anything else: the check could not run here (the deployer then asks another member).
# Needs etcdctl on PATH and python3 with PyYAML (present wherever cloud-init runs).
set -euo pipefail

config=/etc/etcd/etcd.conf.yml
script_name=cluster-health-check
# shellcheck source=member-config-lib.sh
source "$(dirname "$0")/member-config-lib.sh"

if [ "${1:-}" = --config ]; then
  config="${2:?--config needs a file}"
  shift 2
fi
if [ $# -ne 1 ] || [[ $1 == -* ]]; then die "usage: cluster-health-check [--config FILE] DISRUPTED_NAME"; fi
disrupted=$1
[ -r "$config" ] || die "cannot read the etcd config $config"

# Each etcdctl call is bounded, so the whole check fits the SSM command's execution timeout.
export ETCDCTL_DIAL_TIMEOUT=$etcdctl_dial_timeout ETCDCTL_COMMAND_TIMEOUT=$etcdctl_command_timeout
use_member_credentials "$(cluster_client_urls "")"

if ! members="$(etcdctl member list -w json 2>&1)"; then
  echo "REFUSED: the cluster does not answer at $ETCDCTL_ENDPOINTS ($members): no member is disrupted while it has no quorum." \
    "Bring its members back (each one's boot log: /var/log/cloud-init-output.log; etcd: journalctl -u etcd), then run pulumi up again"
  exit 3
fi
# The learners other than DISRUPTED_NAME, by hex ID: each is asked to be promoted. One line per
# learner in `promotions`: `promoted ID`, or `refused ID <etcd's answer>`.
learners="$(python3 - "$disrupted" "$members" <<'PY'
import json, sys
disrupted, members_json = sys.argv[1:3]
for member in json.loads(members_json).get("members", []):
    if member.get("isLearner", False) and member.get("name") != disrupted:
        print(format(member["ID"], "x"))
PY
)"
promotions=""
for learner in $learners; do
  result="$(promote_learner "$learner")"
  case "${result%% *}" in
    promoted) promotions+="promoted $learner"$'\n' ;;
    *) promotions+="refused $learner ${result#* }"$'\n' ;;
  esac
done
if [[ $promotions == *promoted* ]]; then
  members="$(etcdctl member list -w json 2>&1)" || die "etcdctl member list failed after a promotion: $members"
fi
# Exits non-zero when an endpoint is unhealthy, after printing every endpoint's result.
health="$(etcdctl endpoint health --cluster -w json 2>/dev/null || true)"
alarms="$(etcdctl alarm list 2>&1)" || die "etcdctl alarm list failed: $alarms"

python3 - "$disrupted" "$members" "$health" "$alarms" "$promotions" <<'PY'
import json, sys

disrupted, members_json, health_json, alarm_lines, promotion_lines = sys.argv[1:6]
members = json.loads(members_json).get("members", [])
promoted, refused = set(), {}
for line in promotion_lines.splitlines():
    outcome, member_id, *answer = line.split(" ", 2)
    if outcome == "promoted":
        promoted.add(int(member_id, 16))
    else:
        refused[int(member_id, 16)] = " ".join(answer).strip() or "no answer"
try:
    health = {entry["endpoint"]: entry for entry in json.loads(health_json or "[]")}
except ValueError:
    health = {}
name_of = {member["ID"]: member.get("name") or f"(unstarted, {' '.join(member.get('peerURLs', []))})" for member in members}
# How a down member comes back (src/core/plan/rollout-order.ts: an up rolls a member whose instance
# is not running before any other member).
fix = ("No other member is disrupted while it is down. Bring it back first. If its instance (tag etcd:member) "
       "is not running, pulumi up replaces it before any other member: run it again (if the up changes nothing of "
       "that member, add --replace <URN of its instance>, or start that instance). If its instance runs, etcd failed "
       "there (boot log: /var/log/cloud-init-output.log; etcd: journalctl -u etcd): fix it, or stop that instance "
       "(aws ec2 stop-instances) and run pulumi up again, which then replaces it first")
reasons = []
for member in members:
    name = name_of[member["ID"]]
    if name == disrupted:
        continue
    if member.get("isLearner", False):
        said = refused.get(member["ID"], "not asked: it was listed only after the promotions")
        reasons.append(f"etcd member {name} is a learner waiting for its promotion, and etcd refused to promote it now: {said}. "
                       f"The cluster runs a voter short. etcd promotes a learner once its log has caught up with the leader's: "
                       f"check its etcd log (journalctl -u etcd on it) and that it reaches the leader on port 2380, then run pulumi up "
                       f"again (this gate asks again), or remove it (etcdctl member remove {member['ID']:x})")
        continue
    urls = member.get("clientURLs") or []
    if not urls:
        reasons.append(f"etcd member {name} never started (no client URL). {fix}")
        continue
    results = [health.get(url) for url in urls]
    if not any(result is not None and result.get("health") for result in results):
        said = "; ".join((result or {}).get("error") or "no answer" for result in results)
        if "Active Alarm" in said and alarm_lines.strip():
            continue  # etcd reports every member unhealthy while an alarm is raised: the alarm's reason says it
        reasons.append(f"etcd member {name} ({', '.join(urls)}) is not healthy: {said}. {fix}")
for line in alarm_lines.splitlines():
    fields = dict(part.split(":", 1) for part in line.split() if ":" in part)
    if "alarm" not in fields:
        continue
    member_id = int(fields.get("memberID", "0"))
    name = name_of.get(member_id, f"member {member_id:x}")
    reasons.append(f"alarm {fields['alarm']} is raised on etcd member {name}: NOSPACE needs room (compact, defragment, "
                   f"or a larger quota) then etcdctl alarm disarm; CORRUPT needs that member replaced. Then run pulumi up again")
for member in members:
    if member["ID"] in promoted:
        print(f"PROMOTED: etcd member {name_of[member['ID']]} ({member['ID']:x}) was a learner in sync with the leader: etcd made it a voter")
if reasons:
    for reason in reasons:
        print(f"REFUSED: {reason}")
    sys.exit(3)
voters = sum(1 for member in members if not member.get("isLearner", False))
print(f"PASSED: every voter but {disrupted} healthy ({voters} voters), no learner pending, no alarm: {disrupted} may be disrupted")
PY
