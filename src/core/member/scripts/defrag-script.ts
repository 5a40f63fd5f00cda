import { localEtcdctlShell, SCRIPT_LOG_FUNCTIONS } from "./script-shell";
import { shellQuote } from "../../formats/shell-quote";
import type { EtcdHostPaths } from "../ports-and-paths";

const MiB = 1024 ** 2;

/**
 * A defrag is worth its pause when at least this share of the backend file is free (dbSize minus
 * dbSizeInUse, after compaction): below it the file shrinks little and bbolt reuses the free pages
 * for new writes anyway.
 */
export const DEFRAG_MIN_FREE_PERCENT = 30;

/**
 * …and at least this many bytes are free: a small database has a large free share after almost any
 * compaction, and reclaiming a few MiB is not worth blocking a member for.
 */
export const DEFRAG_MIN_FREE_BYTES = 64 * MiB;

/**
 * etcdctl's `--command-timeout` of the defrag (its default, 5 s, is far too short for a large
 * database; an 8 GiB backend takes minutes). It ends only etcdctl's wait: etcd finishes the defrag.
 */
export const DEFRAG_COMMAND_TIMEOUT_MINUTES = 20;

/** Everything the defrag script of one member depends on. */
export interface DefragScriptInput {
  /** The member's etcd name, for the log lines. */
  readonly memberName: string;
  /** certDir holds the CA and the member's server certificate, which carries `clientAuth` too. */
  readonly paths: EtcdHostPaths;
  /** The member's `quota-backend-bytes` (EtcdTuning.quotaBackendBytes): a NOSPACE alarm is disarmed only below it. */
  readonly quotaBackendBytes: number;
}

/**
 * The defrag script (bash) run by the defrag timer on every member (defrag-units.ts staggers the
 * timers by member index). It defragments the local member only, and only when:
 * - every member etcd lists is healthy (`endpoint health --cluster`): a defrag blocks its member
 *   (etcd serves it no reads or writes until it ends), so with another member down it could cost
 *   the quorum. A member in the middle of a defrag fails this check too, so two members never
 *   defrag together even if a run outlasts its slot. A raised NOSPACE alarm alone makes every
 *   member report unhealthy ("Active Alarm(s): NOSPACE"); that still counts as up, since a defrag
 *   is the way out of it;
 * - enough of the backend is free (DEFRAG_MIN_FREE_PERCENT and DEFRAG_MIN_FREE_BYTES); with this
 *   member's NOSPACE alarm raised writes are refused already, so the byte floor alone decides.
 * It logs the sizes before and after and the time taken on one line. A NOSPACE alarm of this
 * member is logged as `ALARM`; after a successful defrag that brought the database below the quota,
 * `etcdctl alarm disarm` lifts it (and any other member's alarm: a member still over its quota
 * raises its own again on its next write).
 *
 * Needs on PATH: etcdctl, coreutils, sed, grep.
 */
export function renderDefragScript(input: DefragScriptInput): string {
  return `#!/usr/bin/env bash
# etcd-defrag: defragments the local etcd member's backend when enough of it is free and every member is healthy.
# Rendered by src/core/member/scripts/defrag-script.ts; run by etcd-defrag.timer.
set -Eeuo pipefail

readonly LOG_TAG=etcd-defrag
readonly MEMBER=${shellQuote(input.memberName)}
readonly QUOTA_BYTES=${input.quotaBackendBytes}
readonly MIN_FREE_PERCENT=${DEFRAG_MIN_FREE_PERCENT}
readonly MIN_FREE_BYTES=${DEFRAG_MIN_FREE_BYTES}
readonly COMMAND_TIMEOUT=${DEFRAG_COMMAND_TIMEOUT_MINUTES}m
${localEtcdctlShell(input.paths)}
${SCRIPT_LOG_FUNCTIONS}
trap 'fail "unexpected error in line $LINENO: $BASH_COMMAND"' ERR

health=$(etcdctl_local endpoint health --cluster 2>&1) || true
members=$(grep -cE '^https://[^ ]+ is (un)?healthy: ' <<<"$health" || true)
up=$(grep -cE '^https://[^ ]+ is (healthy: |unhealthy: failed to commit proposal: Active Alarm\\(s\\): NOSPACE $)' <<<"$health" || true)
if (( members == 0 || up != members )); then
  fail "refused: not every member is healthy, nothing defragmented: $(reason_of "$(grep -v ' is healthy: ' <<<"$health" || true)")"
fi

status=$(etcdctl_local endpoint status -w json 2>&1) || fail "endpoint status of $MEMBER: $(reason_of "$status")"
member_id=$(json_number member_id "$status")
size=$(json_number dbSize "$status")
in_use=$(json_number dbSizeInUse "$status")
free=$(( size - in_use ))

nospace=false
if grep -q "memberID:$member_id alarm:NOSPACE" <<<"$status"; then
  nospace=true
  log "ALARM NOSPACE on $MEMBER: its backend ($size bytes) reached quota-backend-bytes ($QUOTA_BYTES); etcd refuses writes until compaction, defrag and alarm disarm"
fi

if (( free < MIN_FREE_BYTES )) || { ! $nospace && (( free * 100 < size * MIN_FREE_PERCENT )); }; then
  log "skipped: $MEMBER has $free of $size bytes free, below the threshold ($MIN_FREE_PERCENT % and $MIN_FREE_BYTES bytes)"
  exit 0
fi

started=$(date +%s%N)
defragged=$(etcdctl_local defrag --command-timeout="$COMMAND_TIMEOUT" 2>&1) ||
  fail "defrag of $MEMBER: $(reason_of "$defragged")"
took_ms=$(( ($(date +%s%N) - started) / 1000000 ))
status=$(etcdctl_local endpoint status -w json 2>&1) || fail "endpoint status of $MEMBER after its defrag: $(reason_of "$status")"
size_after=$(json_number dbSize "$status")
log "OK defragmented $MEMBER: db $size -> $size_after bytes ($in_use in use) in $took_ms ms"

if $nospace; then
  (( size_after < QUOTA_BYTES )) ||
    fail "NOSPACE stays on $MEMBER: its db ($size_after bytes) is still not below the quota ($QUOTA_BYTES); compact more history or raise tuning.quotaBackendGiB"
  disarmed=$(etcdctl_local alarm disarm 2>&1) || fail "alarm disarm on $MEMBER: $(reason_of "$disarmed")"
  log "NOSPACE disarmed: $MEMBER's db ($size_after bytes) is below the quota ($QUOTA_BYTES)"
fi
`;
}
