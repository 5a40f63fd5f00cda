#!/usr/bin/env bash
# Joins this member to the cluster on its first start: decides `initial-cluster-state` and, for a
# member added to a running cluster (scale-up), adds it as a learner (`etcdctl member add --learner`)
# and rewrites `initial-cluster` to the membership etcd reports (etcd's runtime reconfiguration
# guide). A learner votes in no election and counts in no quorum, so a member that never comes up
# costs the cluster no fault tolerance; with --promote, once etcd runs, it makes the member a voter.
#
# Every member has it as /usr/local/sbin/etcd-join-cluster (cloud-init installs it; the source is
# src/core/member/scripts/join-cluster.sh). The boot script runs it before etcd's first start, only while
# the member's WAL directory is empty; it refuses a member with a WAL, which rejoins as itself.
#   etcd-join-cluster [--config /etc/etcd/etcd.conf.yml]
#   etcd-join-cluster --promote [--config /etc/etcd/etcd.conf.yml]
#
# It asks the other members of the rendered `initial-cluster` for the member list (a few attempts,
# each bounded), with the member's server certificate (it carries clientAuth) and the cluster CA:
# - nobody answers: the cluster is being bootstrapped (or this member is cut off); the rendered
#   `initial-cluster-state: new` stays. Safe even in a partition: a lone member of a new cluster
#   can never form a quorum on its own;
# - the cluster lists this member's peer URL as not started (a static bootstrap that this member
#   completes, or an earlier run that added it): it joins as that member, state `existing`;
# - the cluster lists it as started: its data is lost; it stops and points at etcd-replace-member;
# - the cluster does not list it: `member add --learner`, then state `existing`.
# Safe to run again after a failure: a member already added (an unstarted learner) is not added twice.
#
# --promote (the boot script runs it right after starting etcd on a member it joined): a member of
# a new cluster (state `new`) and a member the cluster lists as a voter are left as they are; a
# learner is promoted (`etcdctl member promote`). etcd refuses that until the learner's log is close
# to the leader's ("can only promote a learner member which is in sync with leader"), so it tries
# every 5 s for up to 10 minutes, then fails: run `etcd-join-cluster --promote` again.
# Needs etcdctl on PATH and python3 with PyYAML (present wherever cloud-init runs).
set -euo pipefail

config=/etc/etcd/etcd.conf.yml
script_name=join-cluster
# shellcheck source=member-config-lib.sh
source "$(dirname "$0")/member-config-lib.sh"

# The member-list question: attempts, pause between them, and etcdctl's bounds of one attempt.
readonly list_attempts=3 list_pause_seconds=5 list_dial_timeout=3s list_command_timeout=5s
# A promotion (this member's, or an earlier learner's awaited): attempts and the pause between them
# (10 minutes in all, like the boot's health wait).
readonly promotion_attempts=120 promotion_pause_seconds=5

# Promotes this member when the cluster lists it as a learner; a no-op for a voter.
promote() {
  local members listed id attempt output
  if [ "$(config_value initial-cluster-state)" = new ]; then
    log "$name is a member of a new cluster, a voter from the start: nothing to promote"
    return 0
  fi
  # A learner serves no membership change itself: ask the others.
  use_member_credentials "$(cluster_client_urls "$name")"
  members="$(etcdctl --dial-timeout="$list_dial_timeout" --command-timeout="$list_command_timeout" member list -w simple)" ||
    die "no member answers at $ETCDCTL_ENDPOINTS: cannot promote $name; run etcd-join-cluster --promote again"
  listed="$(member_with_peer_url "$members" "$peer_url")"
  [ -n "$listed" ] || die "the cluster does not list $name ($peer_url): nothing to promote"
  if [ "$(awk -F', ' '{ print $6 }' <<< "$listed")" != true ]; then
    log "$name is a voting member: nothing to promote"
    return 0
  fi
  id="$(awk -F', ' '{ print $1 }' <<< "$listed")"
  for attempt in $(seq "$promotion_attempts"); do
    if output="$(etcdctl member promote "$id" 2>&1)"; then
      log "$output"
      log "promoted $name ($id) to a voting member (attempt $attempt)"
      return 0
    fi
    case "$output" in
      # Refused until the learner has caught up; with strict-reconfig-check, also while too few
      # voters run to keep a quorum after the promotion (etcdserver mayPromoteMember).
      *"in sync with leader"*|*"not enough started members"*)
        log "learner $name is not yet in sync with the leader (attempt $attempt of $promotion_attempts); retrying in ${promotion_pause_seconds} s"
        sleep "$promotion_pause_seconds" ;;
      *) die "etcd refused to promote $name: $output" ;;
    esac
  done
  die "learner $name did not catch up with the leader in $((promotion_attempts * promotion_pause_seconds)) s: it stays a learner" \
    "(no vote, no quorum share). Check its etcd log, then run etcd-join-cluster --promote again"
}

promote_requested=false options=()
for option in "$@"; do
  if [ "$option" = --promote ]; then promote_requested=true; else options+=("$option"); fi
done
parse_config_option "${options[@]}"

name="$(config_value name)"
peer_url="$(config_value initial-advertise-peer-urls)"
wal_dir="$(config_value wal-dir)"

if [ "$promote_requested" = true ]; then
  promote
  exit 0
fi

# etcd reads initial-* only while the WAL directory is empty; a member with a WAL is never touched.
if [ -d "$wal_dir" ] && [ -n "$(ls -A "$wal_dir")" ]; then
  die "$wal_dir is not empty: $name already belongs to a cluster and rejoins as itself; nothing to join"
fi

other_endpoints="$(cluster_client_urls "$name")"
if [ -z "$other_endpoints" ]; then
  log "$name is the only member of its initial-cluster: nothing to join"
  exit 0
fi
use_member_credentials "$other_endpoints"

members=""
for attempt in $(seq "$list_attempts"); do
  if members="$(etcdctl --dial-timeout="$list_dial_timeout" --command-timeout="$list_command_timeout" member list -w simple 2>/dev/null)"; then
    break
  fi
  members=""
  if [ "$attempt" -lt "$list_attempts" ]; then sleep "$list_pause_seconds"; fi
done
if [ -z "$members" ]; then
  log "no cluster answers at $ETCDCTL_ENDPOINTS: bootstrapping; keeping initial-cluster-state: $(config_value initial-cluster-state)"
  exit 0
fi

listed="$(member_with_peer_url "$members" "$peer_url")"
if [ -z "$listed" ]; then
  # etcd 3.5 admits one learner at a time (--experimental-max-learners, default 1) and refuses
  # another `member add --learner`: wait while an earlier joining member is still a learner.
  for attempt in $(seq "$promotion_attempts"); do
    learner="$(awk -F', ' '$6 == "true" { print $4 }' <<< "$members")"
    [ -n "$learner" ] || break
    [ "$attempt" -lt "$promotion_attempts" ] ||
      die "the learner at $learner was not promoted in $((promotion_attempts * promotion_pause_seconds)) s: promote it (etcd-join-cluster --promote on it), then run this again"
    log "the learner at $learner is not promoted yet (attempt $attempt of $promotion_attempts); asking again in ${promotion_pause_seconds} s"
    sleep "$promotion_pause_seconds"
    members="$(etcdctl member list -w simple)" || die "the cluster stopped answering: run etcd-join-cluster again"
  done
  log "adding $name ($peer_url) to the running cluster as a learner"
  reconfigure member add "$name" --learner --peer-urls="$peer_url"
  members="$(etcdctl member list -w simple)" || die "the cluster stopped answering after adding $name: run etcd-join-cluster again"
# A member that ever started has published its client URLs. (The status column is no guide: etcd
# names the members of a static bootstrap from initial-cluster, and etcdctl calls any named member
# "started".)
elif [ -n "$(awk -F', ' '{ print $5 }' <<< "$listed")" ]; then
  die "the cluster already has a member at $peer_url that has started, but $wal_dir is empty: $name lost its data." \
    "Do not start etcd like this. Replace the member: etcd-replace-member (see --help), then systemctl start etcd"
else
  log "$name ($peer_url) is a member that has not started yet: joining as it"
fi

# `initial-cluster` as the cluster knows it: every listed peer URL, named as this config names it
# (a member that has not started has no name in the list yet).
cluster="$(awk -F', ' -v rendered="$(config_value initial-cluster)" '
  BEGIN {
    count = split(rendered, entries, ",")
    for (i = 1; i <= count; i++) { eq = index(entries[i], "="); names[substr(entries[i], eq + 1)] = substr(entries[i], 1, eq - 1) }
  }
  {
    member = ($4 in names) ? names[$4] : $3
    if (member == "") { print "member " $1 " (" $4 ") has no name" > "/dev/stderr"; failed = 1; exit 1 }
    joined = joined (joined == "" ? "" : ",") member "=" $4
  }
  END { if (!failed) print joined }' <<< "$members")" || die "cannot name every member of the cluster"

# Only the first start reads these; once the WAL exists etcd ignores initial-*.
set_config_value initial-cluster "$cluster"
set_config_value initial-cluster-state existing
log "done: $name joins the running cluster ($cluster)"
