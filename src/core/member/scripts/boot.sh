#!/bin/bash
# etcd-member-boot: the first boot of an etcd member, run once by cloud-init (the bootstrap runs it
# once the member's bundle is unpacked). It finds and mounts both volumes, installs the pinned etcd
# release, fetches the member's TLS material from SSM, runs the join step while the WAL directory is
# empty (with a restore, the join step restores on a member that founds the cluster), starts etcd
# and its timers (then writes etcd_started_marker), waits until the member is healthy, then runs
# etcd-finish-boot: the promote step (a learner, as etcd lists it, becomes a voter) and the
# completion marker. The member's health gate runs etcd-finish-boot too, so a boot that stops after
# starting etcd (its health wait gave up during an outage, a promotion etcd refused) is finished
# once etcd is healthy. `set -euo pipefail`: the first failing step stops the script, and cloud-init
# reports the failure. A boot that stops before it started etcd (a refused join step, a failed
# download or checksum) failed for good on this instance: nothing runs it again, so it leaves its
# last lines in boot_failed_marker, and the member's health gate stops at its first check and prints
# them (etcd-finish-boot); a new run of the boot removes the marker when it starts. It never prints
# a secret (no xtrace; values go from the AWS CLI to files).
#
# The installed copy starts with readonly settings rendered by src/core/member/scripts/boot-script.ts:
# member_name; data_volume_id, data_label, data_mount, data_dir and the same for wal_; cert_dir,
# secret_files; etcd_user, bin_dir, etcd_version, etcd_url, etcd_sha256; join_cluster,
# restore_script (empty: no restore); metrics_dir, metrics_socket, certificate_metrics_timer; unit,
# backup_timer, defrag_timer; volume_wait_seconds, health_wait_seconds; fstab, etcd_started_marker,
# boot_complete_marker, boot_failed_marker, finish_boot; and AWS_DEFAULT_REGION in the environment.
# shellcheck disable=SC2154 # the settings above are assigned in the installed copy only
set -euo pipefail
umask 077

log() { echo "etcd-member-boot[$member_name]: $*" >&2; }

# retry ATTEMPTS COMMAND...: for calls that fail while the instance role's credentials propagate.
retry() {
  local attempts=$1 attempt=1
  shift
  until "$@"; do
    if ((attempt >= attempts)); then return 1; fi
    log "$1 failed (attempt $attempt of $attempts), retrying in 5s"
    attempt=$((attempt + 1))
    sleep 5
  done
}

require_tools() {
  local tool
  for tool in aws curl sha256sum tar blkid dd lsblk mkfs.xfs mountpoint useradd systemctl; do
    command -v "$tool" >/dev/null || { log "required tool $tool is missing"; return 1; }
  done
}

ensure_etcd_user() {
  id -u "$etcd_user" >/dev/null 2>&1 ||
    useradd --system --user-group --home-dir /var/lib/etcd --no-create-home --shell /usr/sbin/nologin "$etcd_user"
}

# mkdir -p with 0755 parents: umask 077 would make them 0700 root, closed to the etcd user.
reachable_dir() {
  (umask 022 && mkdir -p "$1")
}

# An EBS volume is an NVMe device whose serial is its volume ID without the dash. Device names follow
# attachment order and change between boots, so the volume is found by ID, waiting for its attachment.
volume_device() {
  local serial=${1//-/} deadline=$((SECONDS + volume_wait_seconds)) device
  log "waiting up to ${volume_wait_seconds}s for volume $1"
  while ((SECONDS < deadline)); do
    device="/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$serial"
    if [[ -b $device ]]; then readlink -f "$device"; return 0; fi
    device=$(lsblk --nodeps --noheadings --output NAME,SERIAL | awk -v serial="$serial" '$2 == serial { print "/dev/" $1; exit }')
    if [[ -n $device ]]; then echo "$device"; return 0; fi
    sleep 2
  done
  log "volume $1 was not attached within ${volume_wait_seconds}s"
  return 1
}

# reads_as_blank VOLUME_ID DEVICE: a new EBS volume reads as zeros, so a device is blank only when its
# first MiB reads back whole and holds nothing else. A read error, a short read (a device that reads
# as empty) or data blkid does not recognise all refuse, and stop the boot before any mkfs.
reads_as_blank() {
  local volume_id=$1 device=$2 first="$work_dir/first-mib" read_error size nonzero
  if ! read_error=$(dd if="$device" of="$first" bs=1M count=1 iflag=fullblock status=none 2>&1); then
    log "$volume_id ($device) cannot be read: $read_error; refusing to format it"
    return 1
  fi
  size=$(stat -c %s "$first")
  if ((size < 1048576)); then
    log "$volume_id ($device) returned $size of its first 1048576 bytes: refusing to format it"
    return 1
  fi
  nonzero=$(tr -d '\0' <"$first" | wc -c)
  if ((nonzero > 0)); then
    log "$volume_id ($device) holds data blkid does not recognise ($nonzero non-zero bytes in its first MiB): refusing to format it"
    return 1
  fi
}

# prepare_volume VOLUME_ID LABEL MOUNT_POINT: formats the volume only when it is blank, then mounts it
# by UUID with noatime. A replacement instance re-attaches its member's volumes: never reformat them.
prepare_volume() {
  local volume_id=$1 label=$2 mount_point=$3 device probe=0 fs_type uuid
  device=$(volume_device "$volume_id")
  # blkid -p probes the device itself (no cache) and exits 2 when it finds no signature at all, but
  # also when it cannot read the device: reads_as_blank tells the two apart before any mkfs.
  blkid -p "$device" >/dev/null || probe=$?
  case $probe in
    0) log "$volume_id ($device) already holds data: keeping it" ;;
    2) reads_as_blank "$volume_id" "$device" || return 1
       log "$volume_id ($device) is blank: creating XFS filesystem $label"
       mkfs.xfs -L "$label" "$device" ;;
    *) log "blkid could not probe $device (exit $probe)"; return 1 ;;
  esac
  fs_type=$(blkid -p -o value -s TYPE "$device" || true)
  uuid=$(blkid -p -o value -s UUID "$device" || true)
  if [[ -z $fs_type || -z $uuid ]]; then
    log "$volume_id ($device) holds no mountable filesystem (partitioned?): refusing to touch it"
    return 1
  fi
  reachable_dir "$mount_point"
  # nofail: a missing volume must not stop the boot; etcd's RequiresMountsFor keeps etcd down instead.
  grep -q "^UUID=$uuid " "$fstab" || echo "UUID=$uuid $mount_point $fs_type defaults,noatime,nofail 0 0" >>"$fstab"
  mountpoint -q "$mount_point" || mount "$mount_point"
  # A new instance may give the etcd user another uid than the one that wrote the files.
  chown -R "$etcd_user:$etcd_user" "$mount_point"
  chmod 0700 "$mount_point"
}

install_etcd() {
  local tarball="$work_dir/etcd.tar.gz"
  log "downloading etcd $etcd_version from $etcd_url"
  case $etcd_url in
    s3://*) retry 5 aws s3 cp --only-show-errors "$etcd_url" "$tarball" ;;
    *) curl --fail --silent --show-error --location --retry 5 --output "$tarball" "$etcd_url" ;;
  esac
  # The release binaries are not signed: the pinned checksum is the proof of what will run.
  echo "$etcd_sha256  $tarball" | sha256sum --check --strict
  tar -xzf "$tarball" -C "$work_dir" --strip-components=1 --no-same-owner
  install -m 0755 -o root -g root "$work_dir/etcd" "$work_dir/etcdctl" "$work_dir/etcdutl" "$bin_dir/"
  log "installed etcd $etcd_version into $bin_dir"
}

# fetch_parameter NAME FILE MODE: the value goes from the AWS CLI into a private temp file, is never
# echoed, and replaces FILE only once complete.
fetch_parameter() {
  local name=$1 file=$2 mode=$3 partial
  partial=$(mktemp "$file.XXXXXX")
  retry 10 aws ssm get-parameter --name "$name" --with-decryption --query Parameter.Value --output text >"$partial"
  [[ -s $partial ]] || { log "parameter $name is empty"; return 1; }
  chown "$etcd_user:$etcd_user" "$partial"
  chmod "$mode" "$partial"
  mv -f "$partial" "$file"
  log "fetched $name into $file"
}

# secret_files: SSM parameter, file and mode of each, in threes: the CA certificate, then the member's
# own certificates and keys.
fetch_secrets() {
  reachable_dir "$(dirname "$cert_dir")"
  install -d -m 0750 -o root -g "$etcd_user" "$cert_dir"
  local i
  for ((i = 0; i < ${#secret_files[@]}; i += 3)); do
    fetch_parameter "${secret_files[@]:i:3}"
  done
}

# etcd's /health (etcd-finish-boot --health: the one check the boot and the health gate share)
# reports true once the member belongs to a cluster with a leader and no alarm.
wait_until_healthy() {
  local deadline=$((SECONDS + health_wait_seconds)) health
  while true; do
    if health=$("$finish_boot" --health); then return 0; fi
    if ((SECONDS >= deadline)); then
      log "etcd is not healthy after ${health_wait_seconds}s: $health"
      systemctl status --no-pager "$unit" >&2 || true
      return 1
    fi
    log "waiting for etcd to become healthy (service $(systemctl is-active "$unit" || true), /health: $health)"
    sleep 10
  done
}

# A member without a WAL has never started (or its data is lost): the join step decides how it
# enters the cluster (bootstrap, or member add when the cluster runs already) or stops the boot.
# A member with a WAL rejoins as itself: etcd ignores every initial-* key then, and nothing asks.
join_cluster_if_new() {
  if [[ -n $(ls -A "$wal_dir") ]]; then
    log "$wal_dir holds a WAL: $member_name rejoins as itself"
    return 0
  fi
  # A cluster started from a snapshot: only a member that founds it restores (the join step decides).
  if [[ -n $restore_script ]]; then "$join_cluster" --restore "$restore_script"; else "$join_cluster"; fi
}

boot_steps() {
  require_tools
  work_dir=$(mktemp -d)
  trap 'rm -rf "$work_dir"' EXIT
  ensure_etcd_user
  prepare_volume "$data_volume_id" "$data_label" "$data_mount"
  prepare_volume "$wal_volume_id" "$wal_label" "$wal_mount"
  install -d -m 0700 -o "$etcd_user" -g "$etcd_user" "$data_dir" "$wal_dir" "$metrics_dir"
  install_etcd
  fetch_secrets
  join_cluster_if_new
  systemctl daemon-reload
  systemctl enable "$unit"
  systemctl start --no-block "$unit"
  # The backup and defrag scripts themselves check health (and leadership, for the backup) on every run.
  systemctl enable --now "$backup_timer" "$defrag_timer"
  # The member's own metrics: port 2382 for Prometheus, the certificates' life for CloudWatch.
  # Queued, not awaited: they never gate the boot (their absence alerts on its own).
  systemctl enable --now --no-block "$metrics_socket" "$certificate_metrics_timer"
  # From here on, what is left of the boot is etcd-finish-boot's: the health gate runs it too.
  touch "$etcd_started_marker"
  wait_until_healthy
  # On every boot, once etcd is healthy (a learner's /health is true too): the promote step asks
  # etcd, not the rendered config, so a learner whose promotion gave up is promoted by its next
  # boot or its health gate; a no-op for a voter. Then the completion marker.
  "$finish_boot"
  log "member $member_name is healthy"
}

# Lines of the boot's output a failed-boot marker keeps, and its bound in bytes (the gate's SSM
# command returns at most 8,000 characters of stderr: GetCommandInvocation StandardErrorContent).
readonly failure_lines=6 failure_bytes=4000

# record_failure OUTPUT STATUS: the reason of a boot that stopped before it started etcd, for the
# health gate: the last lines of its output (a join step's refusal, sha256sum's FAILED, curl's error).
record_failure() {
  local output=$1 status=$2 reason
  reason="etcd-member-boot[$member_name]: FAILED (exit $status) before it started etcd; nothing on this instance runs the boot again"
  log "${reason#*: }"
  reachable_dir "$(dirname "$boot_failed_marker")"
  { tail -n "$failure_lines" "$output" | tail -c "$failure_bytes"; echo "$reason"; } >"$boot_failed_marker"
}

# The boot's steps with their output (stdout and stderr, to stderr: cloud-init's log) also kept in
# a file, so a boot that stops before it started etcd can leave its reason (record_failure).
main() {
  local output status
  # A new run (a reboot, the operator's etcd-member-boot) starts with none of an earlier run's markers.
  rm -f "$boot_complete_marker" "$etcd_started_marker" "$boot_failed_marker"
  output=$(mktemp)
  # errexit is off around the pipeline, so the failure is recorded, and on in the steps themselves.
  set +e
  (set -e; boot_steps "$@") 2>&1 | tee "$output" >&2
  status=${PIPESTATUS[0]}
  set -e
  if ((status != 0)) && [[ ! -e $etcd_started_marker ]]; then record_failure "$output" "$status"; fi
  rm -f "$output"
  return "$status"
}

# Sourced (by the unit tests) it only defines the functions.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
