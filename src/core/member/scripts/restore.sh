#!/usr/bin/env bash
# etcd-restore: the first boot of a member of a cluster restored from an etcd snapshot in S3, run as
# root by the boot script after the volumes are mounted and BEFORE etcd starts; a non-zero exit
# stops the boot. It
# - does nothing when the marker names this snapshot (restored on an earlier boot);
# - refuses (exit 1, one FAILED line) when data-dir or wal-dir holds anything: a restore only ever
#   starts a new cluster on empty volumes, never overwrites a member;
# - otherwise downloads the snapshot, checks etcd's integrity hash, `etcdutl snapshot status` and the
#   downloaded bytes against the pinned SHA-256 (restore.snapshotSha256: a name in S3 can be
#   overwritten, so every founder must restore the very object the config names), and runs `etcdutl snapshot restore` into staging
#   directories on the same volumes (etcdutl wants a missing or empty data-dir and a missing
#   wal-dir), renames them into place, hands them to the owner (the etcd user), writes the marker.
#
# The installed copy starts with readonly settings rendered by src/core/member/scripts/restore-script.ts:
# SNAPSHOT_URI, SNAPSHOT_SHA256, MEMBER, PEER_URL, INITIAL_CLUSTER, CLUSTER_TOKEN,
# DATA_DIR, WAL_DIR, DATA_VOLUME, MARKER, OWNER, REVISION_BUMP; the libraries it sources are
# inlined. Needs on PATH: etcdutl, aws (CLI v1 or v2), coreutils, sed, grep.
# shellcheck disable=SC2153 # SNAPSHOT_SHA256 and the others are assigned in the installed copy only
set -Eeuo pipefail

readonly LOG_TAG=etcd-restore

# shellcheck source=job-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/job-lib.sh"

# shellcheck source=snapshot-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/snapshot-lib.sh"

trap 'fail "unexpected error in line $LINENO: $BASH_COMMAND"' ERR

has_entries() { [ -d "$1" ] && [ -n "$(ls -A "$1")" ]; }

if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$SNAPSHOT_URI" ]; then
  log "nothing to do: $MEMBER was restored from $SNAPSHOT_URI on an earlier boot"
  exit 0
fi
if has_entries "$DATA_DIR" || has_entries "$WAL_DIR"; then
  fail "refusing to restore $SNAPSHOT_URI on $MEMBER: $DATA_DIR or $WAL_DIR already holds data; a restore only starts a new cluster on empty volumes"
fi

started=$(date +%s)
work=$(mktemp -d -p "$DATA_VOLUME" etcd-restore.XXXXXX)
# etcdutl refuses an existing wal-dir; this one is on the WAL volume, so the final rename stays atomic.
wal_staging="$WAL_DIR.restoring"
trap 'rm -rf "$work" "$wal_staging"' EXIT
rm -rf "$wal_staging"

fetched=$(aws s3 cp "$SNAPSHOT_URI" "$work/snapshot.db" --only-show-errors 2>&1) ||
  fail "download of $SNAPSHOT_URI: $(reason_of "$fetched")"
verify_snapshot "$work/snapshot.db"
actual=$(sha256sum "$work/snapshot.db" | cut -d ' ' -f 1)
if [ "$actual" != "$SNAPSHOT_SHA256" ]; then
  fail "snapshot $SNAPSHOT_URI has SHA-256 $actual, restore.snapshotSha256 pins $SNAPSHOT_SHA256: the object changed since it was pinned; pin the snapshot you mean to restore"
fi

restored=$(etcdutl snapshot restore "$work/snapshot.db" --name "$MEMBER" \
  --initial-cluster "$INITIAL_CLUSTER" --initial-cluster-token "$CLUSTER_TOKEN" \
  --initial-advertise-peer-urls "$PEER_URL" --data-dir "$work/data" --wal-dir "$wal_staging" \
  --bump-revision "$REVISION_BUMP" --mark-compacted 2>&1) ||
  fail "etcdutl snapshot restore: $(reason_of "$restored")"

# The WAL goes into place first: a boot interrupted between the two renames leaves a WAL without its
# snapshot, which etcd refuses to start from, never a database that etcd would bootstrap anew.
if [ -d "$WAL_DIR" ]; then rmdir "$WAL_DIR"; fi
mv "$wal_staging" "$WAL_DIR"
if [ -d "$DATA_DIR" ]; then rmdir "$DATA_DIR"; fi
mv "$work/data" "$DATA_DIR"
chown -R "$OWNER" "$DATA_DIR" "$WAL_DIR"
printf '%s\n' "$SNAPSHOT_URI" > "$MARKER"

log "OK $MEMBER restored from $SNAPSHOT_URI: revision $SNAPSHOT_REVISION (+$REVISION_BUMP), keys $SNAPSHOT_KEYS, hash $SNAPSHOT_HASH, sha256 $actual, in $(( $(date +%s) - started ))s"
