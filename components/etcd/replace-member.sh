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
# components/etcd/replace-member.sh). Run it on the member's host, as root, with etcd stopped:
#   systemctl stop etcd
#   etcd-replace-member [--config /etc/etcd/etcd.conf.yml]
#   systemctl start etcd
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

die() { echo "replace-member: $*" >&2; exit 1; }
log() { echo "replace-member: $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --config) config="${2:?--config needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[ -r "$config" ] || die "cannot read the etcd config $config"

# Prints a value of the config: a top-level key, or `section.key`.
config_value() {
  python3 - "$config" "$1" <<'PY'
import sys, yaml
value = yaml.safe_load(open(sys.argv[1]))
for part in sys.argv[2].split("."):
    value = value.get(part) if isinstance(value, dict) else None
if value is None or value == "":
    sys.exit(f"{sys.argv[1]} has no {sys.argv[2]}")
print(value)
PY
}

name="$(config_value name)"
peer_url="$(config_value initial-advertise-peer-urls)"
client_url="$(config_value advertise-client-urls)"
data_dir="$(config_value data-dir)"
wal_dir="$(config_value wal-dir)"
initial_cluster="$(config_value initial-cluster)"

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

# The other members' client URLs: their peer hosts at this member's client port.
client_port="${client_url##*:}"
client_port="${client_port%%,*}"
other_endpoints=()
IFS=',' read -r -a cluster_entries <<< "$initial_cluster"
for entry in "${cluster_entries[@]}"; do
  member_name="${entry%%=*}"
  member_peer="${entry#*=}"
  member_host="${member_peer#https://}"
  [ "$member_name" = "$name" ] || other_endpoints+=("https://${member_host%:*}:${client_port}")
done
[ "${#other_endpoints[@]}" -gt 0 ] || die "$name is the only member: restore the cluster from a backup instead"

export ETCDCTL_API=3
ETCDCTL_ENDPOINTS="${ETCDCTL_ENDPOINTS:-$(IFS=','; echo "${other_endpoints[*]}")}"
ETCDCTL_CACERT="${ETCDCTL_CACERT:-$(config_value client-transport-security.trusted-ca-file)}"
ETCDCTL_CERT="${ETCDCTL_CERT:-$(config_value client-transport-security.cert-file)}"
ETCDCTL_KEY="${ETCDCTL_KEY:-$(config_value client-transport-security.key-file)}"
export ETCDCTL_ENDPOINTS ETCDCTL_CACERT ETCDCTL_CERT ETCDCTL_KEY

# With strict-reconfig-check (on in this project), the member serving a membership change refuses
# it as "unhealthy cluster" until it has been connected to every voting peer for 5 s
# (etcdserver mayAddMember / mayRemoveMember, HealthInterval): right after a member restarted, say.
# Such a refusal is retried for a while; any other error stops the script.
reconfigure() {
  local attempt output
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if output="$(etcdctl "$@" 2>&1)"; then
      echo "$output" >&2
      return 0
    fi
    case "$output" in
      *"unhealthy cluster"*) log "etcd refused the change as not yet safe (attempt $attempt); retrying in 3 s"; sleep 3 ;;
      *) echo "$output" >&2; return 1 ;;
    esac
  done
  die "etcd kept refusing 'etcdctl $*' as unsafe: check 'etcdctl endpoint health --cluster'"
}

log "asking $ETCDCTL_ENDPOINTS for the member list"
members="$(etcdctl member list -w simple)" || die "the other members do not answer; without quorum no member can be replaced"

# Columns of `member list -w simple`: ID, status, name, peer URLs, client URLs, is-learner.
old_id="$(awk -F', ' -v url="$peer_url" '$4 == url { print $1 }' <<< "$members")"
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
sed -i 's/^initial-cluster-state: new$/initial-cluster-state: existing/' "$config"
[ "$(config_value initial-cluster-state)" = existing ] || die "could not set initial-cluster-state: existing in $config"

log "done: start etcd (systemctl start etcd); it joins as a new member and receives the data from the others"
