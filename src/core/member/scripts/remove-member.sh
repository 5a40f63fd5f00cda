#!/usr/bin/env bash
# Removes a member that leaves the cluster (a smaller `members`) before its instance is deleted, so
# the cluster never counts a voter that is gone for good. Runs on a member that stays, as root:
#   remove-member [--config /etc/etcd/etcd.conf.yml] NAME PEER_URL
#
# This member's own config lists the members that stay: a shrink changes every member's
# `initial-cluster`, so Pulumi re-renders and replaces the staying members before it deletes
# anything. So when that config still lists PEER_URL, the cluster is not shrinking: Pulumi deletes
# the member because the whole stack is destroyed, and nothing is removed (success).
# It refuses when fewer than a majority of the current voting members would stay: shrinking from N
# to fewer than N/2+1 at once (7 to 3, 5 to 1) is done in steps (7 to 5 to 3), one `pulumi up` each.
# A member already gone is not removed twice. Credentials: the member's server certificate (it
# carries clientAuth) and the cluster CA, read from the config; ETCDCTL_* variables override them.
# Needs etcdctl on PATH and python3 with PyYAML (present wherever cloud-init runs).
set -euo pipefail

config=/etc/etcd/etcd.conf.yml
script_name=remove-member
# shellcheck source=member-config-lib.sh
source "$(dirname "$0")/member-config-lib.sh"

positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config="${2:?--config needs a file}"; shift 2 ;;
    -*) die "unknown option $1" ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ "${#positional[@]}" -eq 2 ] || die "usage: remove-member [--config FILE] NAME PEER_URL"
leaving_name="${positional[0]}"
leaving_url="${positional[1]}"
[ -r "$config" ] || die "cannot read the etcd config $config"

staying="$(config_value initial-cluster)"
case ",$staying," in
  *"=$leaving_url,"*)
    log "$(config_value name)'s config still lists $leaving_name ($leaving_url): the cluster is not shrinking (stack destroyed); nothing removed"
    exit 0 ;;
esac

use_member_credentials "$(cluster_client_urls "")"
members="$(etcdctl member list -w simple)" || die "the cluster does not answer at $ETCDCTL_ENDPOINTS: without quorum no member can be removed"
leaving_id="$(member_with_peer_url "$members" "$leaving_url" | cut -d, -f1)"
if [ -z "$leaving_id" ]; then
  log "$leaving_name ($leaving_url) is not a member (any more): nothing to remove"
  exit 0
fi

# Voting members now, and how many of them stay (their peer URLs are in this member's config).
voters="$(awk -F', ' '$6 == "false"' <<< "$members" | wc -l)"
staying_voters="$(awk -F', ' -v staying=",$staying," '$6 == "false" && index(staying, "=" $4 ",") > 0' <<< "$members" | wc -l)"
majority=$((voters / 2 + 1))
if [ "$staying_voters" -lt "$majority" ]; then
  die "refusing to remove $leaving_name: only $staying_voters of the $voters voting members stay, fewer than a majority ($majority)." \
    "Shrink in steps that keep a majority (7 to 5 to 3), one pulumi up each"
fi

log "removing $leaving_name ($leaving_id, $leaving_url): $staying_voters of $voters voting members stay"
reconfigure member remove "$leaving_id"
log "done: $leaving_name removed"
