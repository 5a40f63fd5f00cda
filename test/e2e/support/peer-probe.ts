/**
 * Asks a member's peer listener for its member list (`GET /members`, etcd's peer API) presenting a
 * given certificate, the way a would-be peer would; run in the hub namespace. Prints one JSON line:
 * `{"status": <HTTP status>}` when the listener answered, `{"error": "<reason>"}` when it refused.
 *
 * Usage: node --import tsx peer-probe.ts <peer URL> <CA file> <cert file> <key file>
 */
import { readFileSync } from "node:fs";
import { request } from "node:https";

/** What the peer listener did with the request. */
export type PeerProbeOutcome = { readonly status: number } | { readonly error: string };

const PROBE_TIMEOUT_MS = 5_000;

function probe(url: string, caFile: string, certFile: string, keyFile: string): Promise<PeerProbeOutcome> {
  return new Promise((resolve) => {
    const req = request(
      `${url}/members`,
      {
        ca: readFileSync(caFile),
        cert: readFileSync(certFile),
        key: readFileSync(keyFile),
        timeout: PROBE_TIMEOUT_MS,
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0 }));
        response.on("error", (error) => resolve({ error: error.message }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (error) => resolve({ error: error.message }));
    req.end();
  });
}

const [url, caFile, certFile, keyFile] = process.argv.slice(2);
if (url === undefined || caFile === undefined || certFile === undefined || keyFile === undefined) {
  throw new Error("usage: peer-probe.ts <peer URL> <CA file> <cert file> <key file>");
}
void probe(url, caFile, certFile, keyFile).then((outcome) => console.log(JSON.stringify(outcome)));
