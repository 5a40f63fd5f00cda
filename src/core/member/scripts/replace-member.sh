#!/usr/bin/env bash
# Replaces an etcd member whose data is lost or corrupt, keeping its name and peer URL.
#
# A member that lost its data directory or WAL cannot simply restart: the other members know it
# by a member ID whose log it no longer has. It has to leave the cluster and join again as a new
# member (etcd's runtime reconfiguration guide): `etcdctl member remove`, `etcdctl member add`,
# then start etcd with empty data and WAL directories and `initial-cluster-state: existing`.
# (An instance replacement on AWS is NOT this case: the member keeps its volumes and restarts as
# itself.)
#
# Every member has it as /usr/local/sbin/etcd-replace-member (cloud-init installs it; the source is
# src/core/member/scripts/replace-member.sh). Run it on the member's host, as root, with etcd stopped
# (a member whose boot refused its blank volumes never started it), then run the member's boot again:
#   systemctl stop etcd
#   etcd-replace-member [--config /etc/etcd/etcd.conf.yml] && etcd-member-boot
# The boot's join step finds the member this added (not started yet) and joins as it; the boot then
# starts etcd, enables the member's timers and writes its completion marker, which the next
# `pulumi up`'s health gate waits for (README "Replacing a member that lost its data").
#
# It reads everything from the member's own etcd config file: its name, peer URL, data and WAL
# directories, the other members (`initial-cluster`) and, as etcdctl's credentials, the member's
# server certificate and key and the cluster CA (the server certificate carries clientAuth). The
# usual ETCDCTL_ENDPOINTS / ETCDCTL_CACERT / ETCDCTL_CERT / ETCDCTL_KEY variables override them.
# It discards the member's local data: the other members send it everything again.
# Safe to run again after a failure: a member already removed is not removed twice.
# Needs etcdctl on PATH and python3 with PyYAML (present wherever cloud-init runs).
set -euo pipefail

config=/etc/etcd/etcd.conf.yml
script_name=replace-member
# shellcheck source=member-config-lib.sh
source "$(dirname "$0")/member-config-lib.sh"

parse_config_option "$@"

name="$(config_value name)"
peer_url="$(config_value initial-advertise-peer-urls)"
data_dir="$(config_value data-dir)"
wal_dir="$(config_value wal-dir)"

for dir in "$data_dir" "$wal_dir"; do
  case "$dir" in
    /?*) ;;
    *) die "refusing to empty '$dir': not an absolute directory below /" ;;
  esac
done

# etcd still running here would keep its old member ID and be refused by the others.
peer_host_port="${peer_url#https://}"
peer_host_port="${peer_host_port%%,*}"
if timeout 2 bash -c "exec 3<>/dev/tcp/${peer_host_port%:*}/${peer_host_port##*:}" 2>/dev/null; then
  die "etcd still listens on $peer_url: stop it first (systemctl stop etcd)"
fi

other_endpoints="$(cluster_client_urls "$name")"
[ -n "$other_endpoints" ] || die "$name is the only member: restore the cluster from a backup instead"
use_member_credentials "$other_endpoints"

log "asking $ETCDCTL_ENDPOINTS for the member list"
members="$(etcdctl member list -w simple)" || die "the other members do not answer; without quorum no member can be replaced"

old_id="$(member_with_peer_url "$members" "$peer_url" | cut -d, -f1)"
if [ -n "$old_id" ]; then
  log "removing member $old_id ($name, $peer_url)"
  reconfigure member remove "$old_id"
else
  log "no member with peer URL $peer_url in the cluster; adding it"
fi

log "adding $name with peer URL $peer_url"
reconfigure member add "$name" --peer-urls="$peer_url"

# Empty the directories but keep them, with their owner and mode (etcd runs unprivileged).
log "emptying $data_dir and $wal_dir"
for dir in "$data_dir" "$wal_dir"; do
  if [ -d "$dir" ]; then find "$dir" -mindepth 1 -delete; fi
done

# Only the new member's first start reads this; once its WAL exists etcd ignores initial-*.
set_config_value initial-cluster-state existing

log "done: run the member's boot again (etcd-member-boot): etcd joins as the new member and receives the data from the others"
