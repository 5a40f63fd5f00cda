#!/bin/bash
# etcd-finish-boot: the end of a member's boot, run by the boot script once etcd is healthy and by
# the member's health gate (through SSM, `--once`) on every check. A boot that started etcd but
# stopped before its end (its health wait gave up while the cluster had no quorum, or etcd refused
# its promotion for a while) is finished here once etcd is healthy, so its gate passes without a
# new instance; a boot that never started etcd (a refused join, a failed download) still fails.
#   etcd-finish-boot [--once]
# - the completion marker exists: the boot is finished; passes while /health is true;
# - the boot has not started etcd and its timers (ETCD_STARTED_MARKER, written by the boot script
#   right after): fails, pointing at the boot's log;
# - /health is not true (no leader, an alarm, a failed linearizable read): fails with etcd's answer;
# - otherwise it runs the promote step (`etcd-join-cluster --promote`: a learner, as etcd lists it,
#   is promoted; a voter is left as it is), then writes the completion marker and passes. `--once`
#   asks etcd once and tries the promotion once (bounded for the gate's SSM command); without it
#   the promote step waits up to 10 minutes for a learner to catch up, as the boot does.
# Exit status 0: the member's boot is complete and etcd is healthy; 1 otherwise.
#
# The installed copy starts with readonly settings rendered by finish-boot-script.ts:
# BOOT_COMPLETE_MARKER, ETCD_STARTED_MARKER, HEALTH_URL, JOIN_CLUSTER.
# shellcheck disable=SC2154 # the settings above are assigned in the installed copy only
set -euo pipefail

log() { echo "etcd-finish-boot: $*" >&2; }

# etcd's /health on the loopback metrics listener (no client certificate): prints the answer and
# succeeds when it reports true.
healthy() {
  local answer
  answer=$(curl --silent --max-time 5 "$HEALTH_URL" || true)
  echo "${answer:-no answer}"
  [[ $answer == *'"health":"true"'* ]]
}

finish_boot() {
  local once=$1 health promote=(--promote)
  if [[ -e $BOOT_COMPLETE_MARKER ]]; then
    health=$(healthy) || { log "the boot completed, but etcd is not healthy: $health"; return 1; }
    return 0
  fi
  if [[ ! -e $ETCD_STARTED_MARKER ]]; then
    log "the boot has not started etcd: it is still running, or it stopped before (its log: /var/log/cloud-init-output.log)"
    return 1
  fi
  health=$(healthy) || { log "the boot started etcd, which is not healthy yet: $health"; return 1; }
  if [[ $once == true ]]; then promote+=(--once); fi
  "$JOIN_CLUSTER" "${promote[@]}" || { log "the promote step failed (above): the boot is not complete"; return 1; }
  touch "$BOOT_COMPLETE_MARKER"
  log "etcd is healthy and a voting member: the boot is complete"
}

main() {
  local once=false
  case "${1:-}" in
    "") ;;
    --once) once=true ;;
    *) log "usage: etcd-finish-boot [--once]"; return 2 ;;
  esac
  finish_boot "$once"
}

# Sourced (by the unit tests) it only defines the functions.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
