#!/usr/bin/env bash
# etcd-backup: snapshot of the local etcd member to S3, taken only by the healthy leader; run by
# etcd-backup.timer on every member. It uploads a verified snapshot to
# s3://<bucket>/<cluster>/snapshots/<UTC time>-rev<revision>-<member>.db with metadata sha256,
# revision and etcd-version, and writes one line to the journal either way.
#
# Which member works: the leader, and only when it reports healthy. Every member runs the same timer
# and the same script, and no coordination is needed: a cluster has at most one leader a healthy
# member recognises (a deposed leader cut off from the quorum fails the health check), the leader is
# by definition part of a working quorum, and raft's leader completeness means its database holds
# every committed write. Followers log that they skipped. A leader change between two members'
# timer runs can give one interval two snapshots or none; the next interval is normal.
#
# A success is recorded twice: backup.prom in the member's metrics directory (served on port 2382
# for Prometheus: time, size and revision of the snapshot) and the CloudWatch metric
# BackupSucceeded in the cluster's namespace, whose absence the freshness alarm notices. A success
# that cannot be published fails the run: the snapshot is in S3, but the alarm would fire.
#
# The installed copy starts with readonly settings rendered by src/core/member/scripts/backup-script.ts:
# CLUSTER, MEMBER, BUCKET, KEY_PREFIX, SCRATCH_DIR, METRICS_DIR, REGION, NAMESPACE, QUOTA_BYTES, the metric names
# (LAST_SUCCESS_METRIC, LAST_SIZE_METRIC, LAST_REVISION_METRIC, SUCCESS_METRIC) and etcdctl_local's
# ENDPOINT, CA_CERT, CLIENT_CERT, CLIENT_KEY; the libraries it sources are inlined.
# Needs on PATH: etcdctl, etcdutl, aws (CLI v1 or v2), coreutils, sed, grep.
set -Eeuo pipefail

readonly LOG_TAG=etcd-backup

# shellcheck source=local-etcdctl-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/local-etcdctl-lib.sh"

# shellcheck source=job-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/job-lib.sh"

# shellcheck source=snapshot-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/snapshot-lib.sh"

trap 'fail "unexpected error in line $LINENO: $BASH_COMMAND"' ERR

# A field of `etcdctl endpoint status -w fields`, compared as text (member IDs exceed 2^53).
status_field() { awk -F ' : ' -v key="\"$1\"" '$1 == key { gsub(/"/, "", $2); print $2; exit }' <<<"$2"; }

started=$(date +%s)

# endpoint health is a linearizable read (it needs a quorum) and fails while an alarm is raised.
health=$(etcdctl_local endpoint health 2>&1) || fail "member $MEMBER is unhealthy, no snapshot taken: $(reason_of "$health")"

status=$(etcdctl_local endpoint status -w fields 2>&1) || fail "endpoint status of $MEMBER: $(reason_of "$status")"
member_id=$(status_field MemberID "$status")
leader_id=$(status_field Leader "$status")
etcd_version=$(status_field Version "$status")
if [ -z "$leader_id" ] || [ "$member_id" != "$leader_id" ]; then
  log "skipped: $MEMBER is not the leader (leader ID ${leader_id:-none}); the leader takes this interval's snapshot"
  exit 0
fi

# The snapshot is a copy of the database file (DBSize bytes, free pages included) and etcd's 32-byte
# hash, written to the data volume beside the database, whose quota is half that volume: it must fit
# and still leave etcd the room to grow to its quota, or a full volume would stop etcd on the leader.
mkdir -p "$SCRATCH_DIR"
snapshot_bytes=$(( $(status_field DBSize "$status") + 32 ))
available=$(df --output=avail -B1 "$SCRATCH_DIR" | tail -n 1 | tr -d ' ')
needed=$(( snapshot_bytes > QUOTA_BYTES ? snapshot_bytes : QUOTA_BYTES ))
if (( available < needed )); then
  fail "no snapshot taken on $MEMBER: $SCRATCH_DIR has $available bytes free; the snapshot needs $snapshot_bytes (the database's size) and etcd the room to grow to its quota ($QUOTA_BYTES): $needed bytes in all"
fi
snapshot=$(mktemp -p "$SCRATCH_DIR" snapshot.XXXXXX)
trap 'rm -f "$snapshot" "$snapshot.part"' EXIT

saved=$(etcdctl_local snapshot save "$snapshot" 2>&1) || fail "snapshot save on $MEMBER: $(reason_of "$saved")"
verify_snapshot "$snapshot"
size=$(stat -c %s "$snapshot")
sha256=$(sha256sum "$snapshot" | cut -d ' ' -f 1)

key="$KEY_PREFIX$(date -u +%Y%m%dT%H%M%SZ)-rev$SNAPSHOT_REVISION-$MEMBER.db"
uploaded=$(aws s3 cp "$snapshot" "s3://$BUCKET/$key" --only-show-errors \
  --metadata "sha256=$sha256,revision=$SNAPSHOT_REVISION,etcd-version=$etcd_version" 2>&1) ||
  fail "upload of s3://$BUCKET/$key: $(reason_of "$uploaded")"

# Replaced in one rename, so a scrape never reads half a file.
mkdir -p "$METRICS_DIR"
cat >"$METRICS_DIR/backup.prom.tmp" <<METRICS
# TYPE $LAST_SUCCESS_METRIC gauge
$LAST_SUCCESS_METRIC $(date +%s)
# TYPE $LAST_SIZE_METRIC gauge
$LAST_SIZE_METRIC $size
# TYPE $LAST_REVISION_METRIC gauge
$LAST_REVISION_METRIC $SNAPSHOT_REVISION
METRICS
mv -f "$METRICS_DIR/backup.prom.tmp" "$METRICS_DIR/backup.prom"
published=$(aws cloudwatch put-metric-data --region "$REGION" --namespace "$NAMESPACE" \
  --metric-name "$SUCCESS_METRIC" --unit Count --value 1 2>&1) ||
  fail "s3://$BUCKET/$key uploaded, but $SUCCESS_METRIC was not published to $NAMESPACE (the freshness alarm will fire): $(reason_of "$published")"

log "OK s3://$BUCKET/$key cluster $CLUSTER revision $SNAPSHOT_REVISION keys $SNAPSHOT_KEYS bytes $size sha256 $sha256 hash $SNAPSHOT_HASH in $(( $(date +%s) - started ))s"
