# shellcheck shell=bash
# One line per outcome: the journal (a unit's stdout/stderr) or cloud-init's output log keeps it.
log() { printf '%s: %s\n' "$LOG_TAG" "$*"; }
fail() { printf '%s: FAILED: %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

# What a tool said, without etcd's JSON log lines, on one line.
reason_of() { { grep -v '^{' <<<"$1" || true; } | paste -sd ';' | cut -c 1-400; }

json_number() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$2"; }
