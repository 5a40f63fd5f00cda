#!/usr/bin/env bash
# Decides how this member enters its cluster on its first start (empty WAL directory): it creates
# the cluster (`initial-cluster-state: new`, restoring a snapshot first when asked), joins it as
# the member it was rendered as, or is added to a running cluster as a learner (`etcdctl member
# add --learner`; etcd's runtime reconfiguration guide), rewriting `initial-cluster` to the
# membership etcd reports. A learner votes in no election and counts in no quorum, so a member that
# never comes up costs the cluster no fault tolerance; --promote, once etcd runs, makes it a voter.
#
# Every member has it as /usr/local/sbin/etcd-join-cluster (cloud-init installs it; the source is
# src/core/member/scripts/join-cluster.sh). The boot script runs it before etcd's first start, only
# while the member's WAL directory is empty; etcd-finish-boot runs `--promote` on every boot once
# etcd is healthy, and `--promote --once` on every check of the member's health gate until the boot
# is complete.
#   etcd-join-cluster [--restore RESTORE_SCRIPT] [--config /etc/etcd/etcd.conf.yml]
#   etcd-join-cluster --promote [--once] [--config /etc/etcd/etcd.conf.yml]
#
# It asks the other members of the rendered `initial-cluster` with the member's own certificates:
# the client API (`etcdctl member list -w json`, answered only by a cluster with a leader), and
# each member's peer listener (`GET /members`, answered by any running etcd, even one still waiting
# for its peers: a cluster being created, or a cluster without quorum).
# - data-dir holds data but the WAL directory is empty (a replaced WAL volume): it refuses. Booted
#   as new, the member would come back under its old identity with an empty log;
# - the cluster lists this member's peer URL as started (it has published client URLs): its data
#   is lost; it refuses and names the replacement (replacement_steps);
# - a cluster with a leader lists it as not started (a static bootstrap that this member completes,
#   or an earlier run that added it): it joins as that member, state `existing`;
# - a cluster with a leader does not list it (scale-up): `member add --learner`, state `existing`;
# - a running etcd without a leader lists it as not started: the cluster is being created, and this
#   member is one of its founders: the rendered `new` stays (and with --restore, it restores);
# - nobody answers: only the first member of `initial-cluster` creates the cluster (Pulumi creates
#   members in order, each after the previous one's etcd started, so every other founder finds it).
#   Any other member keeps asking, then fails: a scale-up member that cannot reach its cluster
#   must never start a cluster of its own.
# So a restore (--restore) only ever runs on a founder of a cluster that does not exist yet, never
# on a scale-up member or on a member of a running cluster whose volumes were recreated.
# Safe to run again after a failure: a member already added (an unstarted learner) is not added twice.
#
# --promote: learner status comes from etcd's member list (`isLearner`), never from the rendered
# config, so a learner whose promotion gave up is promoted on its next boot (an instance
# replacement). A voter is left as it is. etcd refuses a promotion until the learner's log is close
# to the leader's ("can only promote a learner member which is in sync with leader"), so it tries
# every 5 s for up to 10 minutes, then fails: run `etcd-join-cluster --promote` again. With --once
# it asks etcd once and tries the promotion once (the health gate's bounded check, through
# etcd-finish-boot). A promotion someone else made meanwhile (etcd: "can only promote a learner
# member") counts as done.
# Needs etcdctl and curl on PATH and python3 with PyYAML (present wherever cloud-init runs).
set -euo pipefail

config=/etc/etcd/etcd.conf.yml
script_name=join-cluster
# shellcheck source=member-config-lib.sh
source "$(dirname "$0")/member-config-lib.sh"

# curl's bounds of one question (etcdctl's: member-config-lib.sh), and the pause between two rounds of questions.
readonly peer_connect_seconds=2 peer_timeout_seconds=5 pause_seconds=5
# Rounds of questions before the first member concludes that no cluster exists (10 to 25 s).
readonly founder_rounds=2
# Rounds before any other member gives up (10 minutes, like the boot's health wait);
# ETCD_JOIN_ROUNDS shortens it for the tests only.
readonly member_rounds="${ETCD_JOIN_ROUNDS:-120}"
# A promotion (this member's, or an earlier learner's awaited): attempts and the pause between them.
readonly promotion_attempts=120 promotion_pause_seconds=5

# members_json LIST QUERY [ARG]: reads LIST, a member list as JSON, either etcdctl's
# (`{"members": [{"ID": …, "isLearner": true, …}]}`) or a peer listener's (`[{"id": …}]`), and prints:
# - `listed PEER_URL`: "<hex ID> <started true|false> <learner true|false>" of that member, or nothing;
# - `learner`: "<hex ID> <peer URL>" of a learner, or nothing;
# - `initial-cluster RENDERED`: every listed member as name=peer-URL, named as RENDERED names it.
members_json() {
  MEMBER_LIST="$1" python3 - "${@:2}" <<'PY'
import json, os, sys
data = json.loads(os.environ["MEMBER_LIST"])
members = data.get("members", []) if isinstance(data, dict) else data
def member_id(m): return format(int(m.get("ID", m.get("id", 0))), "x")
def started(m): return bool(m.get("clientURLs"))
def learner(m): return bool(m.get("isLearner"))
query = sys.argv[1]
if query == "listed":
    for m in members:
        if sys.argv[2] in m.get("peerURLs", []):
            print(member_id(m), str(started(m)).lower(), str(learner(m)).lower())
elif query == "learner":
    print(next((f"{member_id(m)} {m['peerURLs'][0]}" for m in members if learner(m)), ""))
elif query == "initial-cluster":
    rendered = dict(reversed(entry.split("=", 1)) for entry in sys.argv[2].split(","))
    entries = []
    for m in members:
        url = m["peerURLs"][0]
        name = rendered.get(url) or m.get("name")
        if not name: sys.exit(f"member {member_id(m)} ({url}) has no name")
        entries.append(f"{name}={url}")
    print(",".join(entries))
PY
}

# The cluster's member list through the client API of the other members (needs a leader).
client_member_list() {
  etcdctl --dial-timeout="$etcdctl_dial_timeout" --command-timeout="$etcdctl_command_timeout" member list -w json 2>/dev/null
}

# The member list of the first other member whose peer listener answers (any running etcd does).
# All are asked at once: a member address without an instance answers nothing until the timeout.
peer_member_list() {
  local entry url entries answers index=0 answer
  answers="$(mktemp -d)"
  IFS=',' read -r -a entries <<< "$(config_value initial-cluster)"
  for entry in "${entries[@]}"; do
    url="${entry#*=}"
    [ "$url" != "$peer_url" ] || continue
    index=$((index + 1))
    # HTTP/1.1: etcd's peer listener drops the HTTP/2 stream curl would otherwise open (seen with 3.5.30).
    curl --silent --fail --http1.1 --connect-timeout "$peer_connect_seconds" --max-time "$peer_timeout_seconds" \
      --cacert "$peer_ca" --cert "$peer_cert" --key "$peer_key" --output "$answers/$index" "$url/members" &
  done
  wait || true
  for answer in "$answers"/*; do
    if [ -s "$answer" ]; then cat "$answer"; rm -rf "$answers"; return 0; fi
  done
  rm -rf "$answers"
  return 1
}

# This member founds the cluster: the rendered `new` stays; with --restore, the snapshot comes first.
found_cluster() {
  log "$1: $name founds the cluster; keeping initial-cluster-state: $(config_value initial-cluster-state)"
  if [ -n "$restore_script" ]; then
    log "restoring the cluster's snapshot with $restore_script"
    "$restore_script"
  fi
}

# Joins the cluster whose client API answered with MEMBERS: as the unstarted member it lists, or as
# a learner it adds.
join_running_cluster() {
  local members=$1 listed learner attempt cluster result output
  listed="$(members_json "$members" listed "$peer_url")"
  if [ -z "$listed" ]; then
    # etcd 3.5 admits one learner at a time (--experimental-max-learners, default 1) and refuses
    # another `member add --learner`: while an earlier joining member is still a learner, ask etcd
    # to promote it (etcd accepts only a learner in sync with the leader, as the pre-disruption
    # gate asks too: a learner whose own promotion gave up would otherwise block every join), and
    # wait while etcd refuses.
    for attempt in $(seq "$promotion_attempts"); do
      learner="$(members_json "$members" learner)"
      [ -n "$learner" ] || break
      result="$(promote_learner "${learner%% *}")"
      output="${result#* }"
      case "${result%% *}" in
        promoted) log "promoted the learner at ${learner#* } (etcd: $output)" ;;
        voter) log "the learner at ${learner#* } is a voting member already (promoted meanwhile)" ;;
        *)
          [ "$attempt" -lt "$promotion_attempts" ] ||
            die "the learner at ${learner#* } was not promoted in $((promotion_attempts * promotion_pause_seconds)) s (etcd: $output): promote it (etcd-join-cluster --promote on it), then run this again"
          log "the learner at ${learner#* } is not promoted yet (etcd: $output; attempt $attempt of $promotion_attempts); asking again in ${promotion_pause_seconds} s"
          sleep "$promotion_pause_seconds" ;;
      esac
      members="$(client_member_list)" || die "the cluster stopped answering: run etcd-join-cluster again"
    done
    log "adding $name ($peer_url) to the running cluster as a learner"
    reconfigure member add "$name" --learner --peer-urls="$peer_url"
    members="$(client_member_list)" || die "the cluster stopped answering after adding $name: run etcd-join-cluster again"
  else
    refuse_if_started "$listed"
    log "$name ($peer_url) is a member that has not started yet: joining as it"
  fi
  # `initial-cluster` as the cluster knows it, named as this config names it (a member added at run
  # time has no name in the list until it starts).
  cluster="$(members_json "$members" initial-cluster "$(config_value initial-cluster)")" || die "cannot name every member of the cluster"
  # Only the first start reads these; once the WAL exists etcd ignores initial-*.
  set_config_value initial-cluster "$cluster"
  set_config_value initial-cluster-state existing
  log "done: $name joins the running cluster ($cluster)"
}

# The operator's way back for a member whose data is lost (README "Replacing a member that lost its
# data"), one command on its instance: etcd-replace-member gives the member a new ID under its name
# and peer URL (member remove, member add) and empties its directories; the boot, run again, then
# finds the cluster listing it as a member that has not started, joins as it, starts etcd, enables
# the member's timers and writes its completion marker, so the next pulumi up's health gate passes.
# PATH: a Run Command's shell is not a login shell and may lack /usr/local (src/core/aws/ssm-run-command.ts).
replacement_steps() {
  echo "Do not start etcd like this. Once the other members have a quorum, replace $name: on its instance, as root" \
    "(aws ssm send-command with AWS-RunShellScript, or a Session Manager shell), run" \
    "'export PATH=/usr/local/sbin:/usr/local/bin:\$PATH; etcd-replace-member && etcd-member-boot'," \
    "then run pulumi up again (README: Replacing a member that lost its data)"
}

# A member that ever started has published its client URLs. (The status column of `member list -w
# simple` is no guide: etcd names the members of a static bootstrap from initial-cluster.)
refuse_if_started() {
  if [ "$(cut -d ' ' -f 2 <<< "$1")" = true ]; then
    die "the cluster already has a member at $peer_url that has started, but $wal_dir is empty: $name lost its data." \
      "$(replacement_steps)"
  fi
}

join() {
  local others first rounds round members listed answered=false
  # etcd reads initial-* only while the WAL directory is empty; a member with a WAL is never touched.
  if [ -d "$wal_dir" ] && [ -n "$(ls -A "$wal_dir")" ]; then
    die "$wal_dir is not empty: $name already belongs to a cluster and rejoins as itself; nothing to join"
  fi
  if [ -d "$data_dir" ] && [ -n "$(ls -A "$data_dir")" ]; then
    die "$data_dir holds data but $wal_dir is empty (a replaced WAL volume?): started as new, $name would come back" \
      "under its old identity with an empty log. $(replacement_steps)"
  fi
  others="$(cluster_client_urls "$name")"
  if [ -z "$others" ]; then
    found_cluster "$name is the only member of its initial-cluster"
    return 0
  fi
  use_member_credentials "$others"
  first="$(config_value initial-cluster)"
  first="${first%%=*}"
  rounds=$member_rounds
  if [ "$first" = "$name" ]; then rounds=$founder_rounds; fi
  for round in $(seq "$rounds"); do
    if members="$(client_member_list)"; then
      join_running_cluster "$members"
      return 0
    fi
    if members="$(peer_member_list)"; then
      answered=true
      listed="$(members_json "$members" listed "$peer_url")"
      if [ -n "$listed" ]; then
        refuse_if_started "$listed"
        found_cluster "the cluster has no leader yet and lists $name as a member that has not started"
        return 0
      fi
      log "a member answers on its peer port but the cluster has no leader and does not list $name: a new member joins only a cluster with a leader (round $round of $rounds)"
    else
      log "no member answers at $ETCDCTL_ENDPOINTS nor on its peer port (round $round of $rounds)"
    fi
    if [ "$round" -lt "$rounds" ]; then sleep "$pause_seconds"; fi
  done
  if [ "$first" = "$name" ] && [ "$answered" = false ]; then
    found_cluster "no other member answers and $name is the first member of initial-cluster"
    return 0
  fi
  die "$name found no cluster with a leader in $((rounds * pause_seconds)) s and is not the first member of initial-cluster," \
    "so it never creates a cluster of its own (a scale-up member would split the cluster)." \
    "Check that the other members run and that this member reaches them on ports 2379 and 2380, then run etcd-join-cluster again"
}

# Promotes this member when the cluster lists it as a learner; a no-op for a voter.
promote() {
  local others members="" listed id attempt result output
  others="$(cluster_client_urls "$name")"
  if [ -z "$others" ]; then
    log "$name is the only member of its initial-cluster: nothing to promote"
    return 0
  fi
  # A learner serves no membership change itself: ask the others.
  use_member_credentials "$others"
  local rounds=$member_rounds attempts=$promotion_attempts
  if [ "$promote_once" = true ]; then rounds=1 attempts=1; fi
  for attempt in $(seq "$rounds"); do
    members="$(client_member_list)" && break
    members=""
    log "no member answers at $ETCDCTL_ENDPOINTS (attempt $attempt of $rounds)"
    if [ "$attempt" -lt "$rounds" ]; then sleep "$pause_seconds"; fi
  done
  [ -n "$members" ] || die "no member answers at $ETCDCTL_ENDPOINTS: cannot tell whether $name is a learner; run etcd-join-cluster --promote again"
  listed="$(members_json "$members" listed "$peer_url")"
  [ -n "$listed" ] || die "the cluster does not list $name ($peer_url): nothing to promote"
  if [ "$(cut -d ' ' -f 3 <<< "$listed")" != true ]; then
    log "$name is a voting member: nothing to promote"
    return 0
  fi
  id="$(cut -d ' ' -f 1 <<< "$listed")"
  for attempt in $(seq "$attempts"); do
    result="$(promote_learner "$id")"
    output="${result#* }"
    case "${result%% *}" in
      promoted)
        log "$output"
        log "promoted $name ($id) to a voting member (attempt $attempt)"
        return 0 ;;
      not-in-sync)
        log "learner $name is not yet in sync with the leader: $output (attempt $attempt of $attempts)"
        if [ "$attempt" -lt "$attempts" ]; then sleep "$promotion_pause_seconds"; fi ;;
      # The boot and the health gate both finish a boot; one promoted it first.
      voter)
        log "$name is a voting member already (promoted meanwhile): nothing to promote"
        return 0 ;;
      *) die "etcd refused to promote $name: $output" ;;
    esac
  done
  [ "$promote_once" = false ] || die "learner $name stays a learner for now: etcd refused its promotion ($output)"
  die "learner $name did not catch up with the leader in $((attempts * promotion_pause_seconds)) s: it stays a learner" \
    "(no vote, no quorum share). Check its etcd log, then run etcd-join-cluster --promote again"
}

promote_requested=false promote_once=false restore_script="" options=()
while [ $# -gt 0 ]; do
  case "$1" in
    --promote) promote_requested=true; shift ;;
    --once) promote_once=true; shift ;;
    --restore) restore_script="${2:?--restore needs the restore script}"; shift 2 ;;
    *) options+=("$1"); shift ;;
  esac
done
parse_config_option "${options[@]}"
load_config_values

name="$(config_value name)"
peer_url="$(config_value initial-advertise-peer-urls)"
data_dir="$(config_value data-dir)"
wal_dir="$(config_value wal-dir)"
peer_ca="$(config_value peer-transport-security.trusted-ca-file)"
peer_cert="$(config_value peer-transport-security.cert-file)"
peer_key="$(config_value peer-transport-security.key-file)"

if [ "$promote_requested" = true ]; then promote; else join; fi
