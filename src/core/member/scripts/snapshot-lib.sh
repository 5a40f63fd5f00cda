# shellcheck shell=bash
# Checks a file written by `etcdctl snapshot save` and sets SNAPSHOT_REVISION, SNAPSHOT_KEYS and
# SNAPSHOT_HASH. etcd appends the SHA-256 of the database to the snapshot it streams; `etcdutl
# snapshot restore` checks it but `etcdutl snapshot status` does not (and crashes on a truncated
# file), so the hash is checked first: a truncated or altered file fails before anything reads it.
verify_snapshot() {
  local file=$1 size trailer digest status
  size=$(stat -c %s "$file")
  # etcdutl's own test: the database is whole pages, the hash adds 32 bytes past a multiple of 512.
  if (( size % 512 != 32 )); then
    fail "snapshot $file ($size bytes) lacks etcd's integrity hash: truncated, or not written by etcdctl snapshot save"
  fi
  trailer=$(tail -c 32 "$file" | od -An -v -tx1 | tr -d ' \n')
  digest=$(head -c -32 "$file" | sha256sum | cut -d ' ' -f 1)
  if [ "$trailer" != "$digest" ]; then
    fail "snapshot $file is corrupt: its content hashes to $digest, its integrity hash says $trailer"
  fi
  status=$(etcdutl snapshot status -w json "$file" 2>&1) || fail "etcdutl cannot read snapshot $file: $(reason_of "$status")"
  SNAPSHOT_REVISION=$(json_number revision "$status")
  SNAPSHOT_KEYS=$(json_number totalKey "$status")
  SNAPSHOT_HASH=$(json_number hash "$status")
}
