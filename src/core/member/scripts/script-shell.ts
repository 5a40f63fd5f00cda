import { LOOPBACK_IP, CERT_FILES, type EtcdHostPaths } from "../ports-and-paths";
import { clientUrl } from "../endpoints";
import { shellQuote } from "../../formats/shell-quote";

/**
 * The settings of `etcdctl_local` (local-etcdctl-lib.sh), for a script that talks to its own member
 * only: the loopback client URL, with the cluster CA and the member's server certificate and key (it
 * carries `clientAuth`). One `readonly NAME='/…'` line per host path, as the e2e harness maps them.
 */
export function localEtcdctlSettings(paths: EtcdHostPaths): string[] {
  return [
    `readonly ENDPOINT=${shellQuote(clientUrl(LOOPBACK_IP))}`,
    `readonly CA_CERT=${shellQuote(`${paths.certDir}/${CERT_FILES.ca}`)}`,
    `readonly CLIENT_CERT=${shellQuote(`${paths.certDir}/${CERT_FILES.serverCert}`)}`,
    `readonly CLIENT_KEY=${shellQuote(`${paths.certDir}/${CERT_FILES.serverKey}`)}`,
  ];
}
