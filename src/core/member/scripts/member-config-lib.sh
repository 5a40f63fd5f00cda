# shellcheck shell=bash
# Shared helpers of the member scripts (etcd-replace-member, etcd-join-cluster, the member removal,
# the pre-disruption gate's cluster-health-check): they read the member's own etcd config and talk
# to the cluster with the member's credentials.
# member-script-source.ts inlines this file where a script sources it; the script sets `config`
# (the etcd config file) and `script_name` (log prefix) first.

die() { echo "$script_name: $*" >&2; exit 1; }
log() { echo "$script_name: $*" >&2; }

# Takes the options of a script without operands: --config FILE (sets `config`) and --help (prints
# the script's header comment); then checks the config is readable.
parse_config_option() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --config) config="${2:?--config needs a file}"; shift 2 ;;
      -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown argument $1 (see --help)" ;;
    esac
  done
  [ -r "$config" ] || die "cannot read the etcd config $config"
}

# Values read by load_config_values, by key: python3 starts once, not once per value.
declare -A config_values=()

# Reads every scalar value of the config (top-level keys and `section.key`) into config_values.
load_config_values() {
  local key value
  while IFS= read -r -d '' key && IFS= read -r -d '' value; do
    config_values[$key]=$value
  done < <(python3 - "$config" <<'PY'
import sys, yaml
def walk(prefix, node):
    for key, value in node.items():
        if isinstance(value, dict): walk(f"{prefix}{key}.", value)
        elif value is not None and value != "" and not isinstance(value, list):
            sys.stdout.write(f"{prefix}{key}\0{value}\0")
walk("", yaml.safe_load(open(sys.argv[1])))
PY
  )
}

# Prints a value of the config: a top-level key, or `section.key` (from config_values once loaded).
config_value() {
  if [ -n "${config_values[$1]+set}" ]; then
    printf '%s\n' "${config_values[$1]}"
    return 0
  fi
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

# set_config_value KEY VALUE: rewrites the top-level `KEY: …` line of the config, then reads it back.
set_config_value() {
  local key=$1 value=$2 escaped
  escaped=$(printf '%s' "$value" | sed 's/[&|\\]/\\&/g')
  sed -i "s|^$key: .*\$|$key: $escaped|" "$config"
  unset 'config_values[$key]'
  [ "$(config_value "$key")" = "$value" ] || die "could not set $key: $value in $config"
}

# Prints the client URLs of the members in `initial-cluster` except the one named $1 (comma-separated):
# their peer hosts at this member's client port.
cluster_client_urls() {
  local excluded=$1 client_url client_port entry member_host urls=()
  client_url="$(config_value advertise-client-urls)"
  client_port="${client_url##*:}"
  client_port="${client_port%%,*}"
  IFS=',' read -r -a cluster_entries <<< "$(config_value initial-cluster)"
  for entry in "${cluster_entries[@]}"; do
    member_host="${entry#*=}"
    member_host="${member_host#https://}"
    [ "${entry%%=*}" = "$excluded" ] || urls+=("https://${member_host%:*}:${client_port}")
  done
  (IFS=','; echo "${urls[*]}")
}

# etcdctl talks to ENDPOINTS ($1) with the member's server certificate and key (it carries
# clientAuth) and the cluster CA; ETCDCTL_* variables set by the caller win.
use_member_credentials() {
  export ETCDCTL_API=3
  ETCDCTL_ENDPOINTS="${ETCDCTL_ENDPOINTS:-$1}"
  ETCDCTL_CACERT="${ETCDCTL_CACERT:-$(config_value client-transport-security.trusted-ca-file)}"
  ETCDCTL_CERT="${ETCDCTL_CERT:-$(config_value client-transport-security.cert-file)}"
  ETCDCTL_KEY="${ETCDCTL_KEY:-$(config_value client-transport-security.key-file)}"
  export ETCDCTL_ENDPOINTS ETCDCTL_CACERT ETCDCTL_CERT ETCDCTL_KEY
}

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

# The bounds of one etcdctl question: the connection (dial), then the whole request (command).
readonly etcdctl_dial_timeout=3s etcdctl_command_timeout=5s

# promote_learner ID: asks etcd once to promote the learner with hex ID ID (`etcdctl member
# promote`), bounded like every other etcdctl question, and prints one line, `OUTCOME ANSWER`:
# ANSWER is etcd's own answer (newlines as spaces), OUTCOME one of
# - `promoted`: etcd made it a voter;
# - `not-in-sync`: refused for now, worth asking again. The learner's log is not yet close to the
#   leader's (etcd server/etcdserver/errors.go ErrLearnerNotReady, over gRPC api/v3rpc/rpctypes
#   ErrGRPCLearnerNotReady: "can only promote a learner member which is in sync with leader"); or,
#   with strict-reconfig-check, too few voters run to keep a quorum after it (etcdserver
#   mayPromoteMember, ErrNotEnoughStartedMembers: "re-configuration failed due to not enough
#   started members");
# - `voter`: it is no learner, promoted meanwhile (server/etcdserver/api/membership/errors.go
#   ErrMemberNotLearner, over gRPC ErrGRPCMemberNotLearner: "can only promote a learner member".
#   ErrLearnerNotReady's text starts with the same words, so it is matched first);
# - `refused`: any other answer (no member answers, the ID is not a member, …).
# Each caller keeps its own policy: how often to ask again, and what to say.
promote_learner() {
  local answer outcome
  if answer="$(ETCDCTL_DIAL_TIMEOUT=$etcdctl_dial_timeout ETCDCTL_COMMAND_TIMEOUT=$etcdctl_command_timeout \
    etcdctl member promote "$1" 2>&1)"; then
    outcome=promoted
  else
    case "$answer" in
      *"can only promote a learner member which is in sync with leader"*|*"not enough started members"*) outcome=not-in-sync ;;
      *"can only promote a learner member"*) outcome=voter ;;
      *) outcome=refused ;;
    esac
  fi
  echo "$outcome ${answer//$'\n'/ }"
}

# `etcdctl member list -w simple` columns: ID, status, name, peer URLs, client URLs, is-learner.
# Prints the line of the member with peer URL $2 in the list $1, if any.
member_with_peer_url() {
  awk -F', ' -v url="$2" '$4 == url' <<< "$1"
}
