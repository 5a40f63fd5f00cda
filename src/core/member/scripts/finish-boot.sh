#!/bin/bash
# etcd-finish-boot: the end of a member's boot, run by the boot script once etcd is healthy and by
# the member's health gate (through SSM, `--once`) on every check. A boot that started etcd but
# stopped before its end (its health wait gave up while the cluster had no quorum, or etcd refused
# its promotion for a while) is finished here once etcd is healthy, so its gate passes without a
# new instance; a boot that never started etcd (a refused join, a failed download) still fails, and
# one that stopped for good before (BOOT_FAILED_MARKER) says so, with the boot's reason.
#   etcd-finish-boot [--once | --started | --health]
# - the completion marker exists: the boot is finished; passes while /health is true;
# - the boot stopped before starting etcd (BOOT_FAILED_MARKER, no ETCD_STARTED_MARKER): nothing on
#   this instance runs it again; prints its reason (the boot's last lines), exit BOOT_FAILED_STATUS;
# - the boot has not started etcd and its timers (ETCD_STARTED_MARKER, written by the boot script
#   right after): fails, pointing at the boot's log (it is still running, or was killed);
# - /health is not true (no leader, an alarm, a failed linearizable read): fails with etcd's answer;
# - otherwise it runs the promote step (`etcd-join-cluster --promote`: a learner, as etcd lists it,
#   is promoted; a voter is left as it is), then writes the completion marker and passes. `--once`
#   asks etcd once and tries the promotion once (bounded for the gate's SSM command); without it
#   the promote step waits up to 10 minutes for a learner to catch up, as the boot does.
# `--started` (the `started` health gate, while a new cluster bootstraps): a boot that stopped for
# good as above, else passes once etcd answers /health at all (a 503 "RAFT NO LEADER" counts).
# `--health` (the boot's own health wait): prints etcd's /health answer, passes when it is true.
# Exit status: 0 passes (the boot is complete and etcd healthy; `--started`: etcd answers; `--health`:
# etcd is healthy); 1 not (yet): the gate checks again; 2 a usage error; BOOT_FAILED_STATUS (3): the
# boot failed for good on this instance, the gate stops at once (src/core/aws/scripts/health-gate.sh).
#
# The installed copy starts with readonly settings rendered by finish-boot-script.ts:
# BOOT_COMPLETE_MARKER, ETCD_STARTED_MARKER, BOOT_FAILED_MARKER, BOOT_FAILED_STATUS, HEALTH_URL,
# JOIN_CLUSTER.
# shellcheck disable=SC2154 # the settings above are assigned in the installed copy only
set -euo pipefail

log() { echo "etcd-finish-boot: $*" >&2; }

# etcd's /health on the loopback metrics listener (no client certificate): prints its answer; fails
# only when etcd gives none (not listening). Any HTTP answer counts, a 503 without a leader too.
health_answer() {
  curl --silent --max-time 5 "$HEALTH_URL"
}

# Prints etcd's /health answer and succeeds when it reports true.
healthy() {
  local answer
  answer=$(health_answer || true)
  echo "${answer:-no answer}"
  [[ $answer == *'"health":"true"'* ]]
}

# A boot that stopped before it started etcd, on this instance, and left its reason: failed for good.
failed_for_good() {
  [[ ! -e $ETCD_STARTED_MARKER && -e $BOOT_FAILED_MARKER ]]
}

report_failed_boot() {
  log "the boot failed for good: it stopped before starting etcd, and nothing on this instance runs it again. Its last lines ($BOOT_FAILED_MARKER):"
  cat "$BOOT_FAILED_MARKER" >&2
}

# The `started` gate: etcd runs with its configuration and answers /health at all.
started() {
  if failed_for_good; then report_failed_boot; return "$BOOT_FAILED_STATUS"; fi
  health_answer >/dev/null || { log "etcd does not answer $HEALTH_URL yet"; return 1; }
}

finish_boot() {
  local once=$1 health promote=(--promote)
  if [[ -e $BOOT_COMPLETE_MARKER ]]; then
    health=$(healthy) || { log "the boot completed, but etcd is not healthy: $health"; return 1; }
    return 0
  fi
  if failed_for_good; then report_failed_boot; return "$BOOT_FAILED_STATUS"; fi
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
  case "${1:-}" in
    "") finish_boot false ;;
    --once) finish_boot true ;;
    --started) started ;;
    --health) healthy ;;
    *) log "usage: etcd-finish-boot [--once | --started | --health]"; return 2 ;;
  esac
}

# Sourced (by the unit tests) it only defines the functions.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
