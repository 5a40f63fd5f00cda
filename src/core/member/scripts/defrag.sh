#!/usr/bin/env bash
# etcd-defrag: defragments the local etcd member's backend when enough of it is free and every
# member is healthy; run by etcd-defrag.timer on every member (defrag-units.ts staggers the timers
# by member index). It defragments only when:
# - every member etcd lists is healthy (`endpoint health --cluster`): a defrag blocks its member
#   (etcd serves it no reads or writes until it ends), so with another member down it could cost
#   the quorum. A member in the middle of a defrag fails this check too, so two members never
#   defrag together even if a run outlasts its slot. A raised NOSPACE alarm alone makes every
#   member report unhealthy ("Active Alarm(s): NOSPACE"); that still counts as up, since a defrag
#   is the way out of it;
# - enough of the backend is free (MIN_FREE_PERCENT and MIN_FREE_BYTES); with this member's
#   NOSPACE alarm raised writes are refused already, so the byte floor alone decides.
# It logs the sizes before and after and the time taken on one line. A NOSPACE alarm of this member
# is logged as ALARM; after a successful defrag that brought the database below the quota, the
# NOSPACE alarms are lifted (this member's and any other's: a member still over its quota raises its
# own again on its next write), and only they: a CORRUPT alarm stays raised.
#
# The installed copy starts with readonly settings rendered by src/core/member/scripts/defrag-script.ts:
# MEMBER, QUOTA_BYTES, MIN_FREE_PERCENT, MIN_FREE_BYTES, COMMAND_TIMEOUT and etcdctl_local's
# ENDPOINT, CA_CERT, CLIENT_CERT, CLIENT_KEY; the libraries it sources are inlined.
# Needs on PATH: etcdctl, curl, coreutils, sed, grep.
set -Eeuo pipefail

readonly LOG_TAG=etcd-defrag

# shellcheck source=local-etcdctl-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/local-etcdctl-lib.sh"

# shellcheck source=job-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/job-lib.sh"

trap 'fail "unexpected error in line $LINENO: $BASH_COMMAND"' ERR

# etcdctl 3.5's `alarm disarm` lifts every raised alarm, CORRUPT included, so a CORRUPT alarm raised
# while the defrag ran would be cleared unseen. etcd's gRPC gateway lifts one alarm type of one
# member: POST /v3/maintenance/alarm with an AlarmRequest (etcd api/etcdserverpb/rpc.proto; member
# IDs are uint64, JSON strings), here with etcdctl_local's identity on the same endpoint.
alarm_request() {
  curl --silent --show-error --fail --max-time 30 --cacert "$CA_CERT" --cert "$CLIENT_CERT" --key "$CLIENT_KEY" \
    --data "$1" "$ENDPOINT/v3/maintenance/alarm"
}

# Lifts the NOSPACE alarm of each member that has one raised, and no other alarm; sets
# NOSPACE_MEMBERS to their IDs. A member still over its quota raises its own again on its next write.
disarm_nospace() {
  local raised id lifted
  raised=$(alarm_request '{"action":"GET","memberID":"0","alarm":"NONE"}' 2>&1) ||
    fail "alarm list through $ENDPOINT: $(reason_of "$raised")"
  NOSPACE_MEMBERS=$(grep -o '"memberID":"[0-9]*", *"alarm":"NOSPACE"' <<<"$raised" | cut -d '"' -f 4 | paste -sd ' ' || true)
  for id in $NOSPACE_MEMBERS; do
    lifted=$(alarm_request "{\"action\":\"DEACTIVATE\",\"memberID\":\"$id\",\"alarm\":\"NOSPACE\"}" 2>&1) ||
      fail "NOSPACE disarm of member $id through $ENDPOINT: $(reason_of "$lifted")"
  done
}

health=$(etcdctl_local endpoint health --cluster 2>&1) || true
members=$(grep -cE '^https://[^ ]+ is (un)?healthy: ' <<<"$health" || true)
up=$(grep -cE '^https://[^ ]+ is (healthy: |unhealthy: failed to commit proposal: Active Alarm\(s\): NOSPACE $)' <<<"$health" || true)
if (( members == 0 || up != members )); then
  fail "refused: not every member is healthy, nothing defragmented: $(reason_of "$(grep -v ' is healthy: ' <<<"$health" || true)")"
fi

status=$(etcdctl_local endpoint status -w json 2>&1) || fail "endpoint status of $MEMBER: $(reason_of "$status")"
member_id=$(json_number member_id "$status")
size=$(json_number dbSize "$status")
in_use=$(json_number dbSizeInUse "$status")
free=$(( size - in_use ))

nospace=false
if grep -q "memberID:$member_id alarm:NOSPACE" <<<"$status"; then
  nospace=true
  log "ALARM NOSPACE on $MEMBER: its backend ($size bytes) reached quota-backend-bytes ($QUOTA_BYTES); etcd refuses writes until compaction, defrag and alarm disarm"
fi

if (( free < MIN_FREE_BYTES )) || { ! $nospace && (( free * 100 < size * MIN_FREE_PERCENT )); }; then
  log "skipped: $MEMBER has $free of $size bytes free, below the threshold ($MIN_FREE_PERCENT % and $MIN_FREE_BYTES bytes)"
  exit 0
fi

started=$(date +%s%N)
defragged=$(etcdctl_local defrag --command-timeout="$COMMAND_TIMEOUT" 2>&1) ||
  fail "defrag of $MEMBER: $(reason_of "$defragged")"
took_ms=$(( ($(date +%s%N) - started) / 1000000 ))
status=$(etcdctl_local endpoint status -w json 2>&1) || fail "endpoint status of $MEMBER after its defrag: $(reason_of "$status")"
size_after=$(json_number dbSize "$status")
log "OK defragmented $MEMBER: db $size -> $size_after bytes ($in_use in use) in $took_ms ms"

if $nospace; then
  (( size_after < QUOTA_BYTES )) ||
    fail "NOSPACE stays on $MEMBER: its db ($size_after bytes) is still not below the quota ($QUOTA_BYTES); compact more history or raise tuning.quotaBackendGiB"
  disarm_nospace
  log "NOSPACE disarmed: $MEMBER's db ($size_after bytes) is below the quota ($QUOTA_BYTES); lifted for member(s) ${NOSPACE_MEMBERS:-none}, every other alarm left raised"
fi
