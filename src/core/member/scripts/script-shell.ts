import { LOOPBACK_IP, CERT_FILES, type EtcdHostPaths } from "../ports-and-paths";
import { clientUrl } from "../endpoints";
import { shellQuote } from "../../formats/shell-quote";

/**
 * Bash functions of every rendered member script (backup, restore, defrag): one-line logging and
 * reading a number out of etcdctl's JSON. A script sets `LOG_TAG` before calling them.
 */
export const SCRIPT_LOG_FUNCTIONS = `# One line per outcome: the journal (a unit's stdout/stderr) or cloud-init's output log keeps it.
log() { printf '%s: %s\\n' "$LOG_TAG" "$*"; }
fail() { printf '%s: FAILED: %s\\n' "$LOG_TAG" "$*" >&2; exit 1; }

# What a tool said, without etcd's JSON log lines, on one line.
reason_of() { { grep -v '^{' <<<"$1" || true; } | paste -sd ';' | cut -c 1-400; }

json_number() { sed -n "s/.*\\"$1\\":\\([0-9]*\\).*/\\1/p" <<<"$2"; }
`;

/**
 * The constants and the `etcdctl_local` function of a script that talks to its own member only:
 * the loopback client URL, with the cluster CA and the member's server certificate and key (it
 * carries `clientAuth`). One `readonly NAME='/…'` line per host path, as the e2e harness maps them.
 */
export function localEtcdctlShell(paths: EtcdHostPaths): string {
  return `readonly ENDPOINT=${shellQuote(clientUrl(LOOPBACK_IP))}
readonly CA_CERT=${shellQuote(`${paths.certDir}/${CERT_FILES.ca}`)}
readonly CLIENT_CERT=${shellQuote(`${paths.certDir}/${CERT_FILES.serverCert}`)}
readonly CLIENT_KEY=${shellQuote(`${paths.certDir}/${CERT_FILES.serverKey}`)}

etcdctl_local() {
  etcdctl --endpoints="$ENDPOINT" --cacert="$CA_CERT" --cert="$CLIENT_CERT" --key="$CLIENT_KEY" "$@"
}
`;
}
