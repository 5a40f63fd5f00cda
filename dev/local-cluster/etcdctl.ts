/**
 * etcdctl run from the hub namespace (a client host of the test network) with a TLS identity,
 * by default the admin client certificate from the program's outputs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TlsIdentity } from "./blueprint";
import { etcdBinaries } from "./etcd-binaries";
import { execInNamespace, type CommandResult } from "./namespace-exec";

/** Default per-request bound of etcdctl (`--command-timeout`, ms): a request without quorum fails after it. */
export const COMMAND_TIMEOUT_MS = 3_000;

/** Paths of a TLS identity's PEM files on disk. */
export interface IdentityFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Writes an identity's PEM files into `dir`. */
export function writeIdentity(dir: string, identity: TlsIdentity): IdentityFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = { caFile: join(dir, "ca.crt"), certFile: join(dir, "client.crt"), keyFile: join(dir, "client.key") };
  writeFileSync(files.caFile, identity.caPem);
  writeFileSync(files.certFile, identity.certPem);
  writeFileSync(files.keyFile, identity.keyPem, { mode: 0o600 });
  return files;
}

/** etcdctl's TLS flags for an identity. */
export function tlsFlags(files: IdentityFiles): string[] {
  return [`--cacert=${files.caFile}`, `--cert=${files.certFile}`, `--key=${files.keyFile}`];
}

/**
 * Runs etcdctl in `namespace` against `endpoints` with the given TLS flags (none: a client without
 * a certificate), giving each request `timeoutMs` (connecting included).
 */
export function runEtcdctl(
  namespace: string,
  endpoints: readonly string[],
  flags: readonly string[],
  args: readonly string[],
  timeoutMs = COMMAND_TIMEOUT_MS,
): Promise<CommandResult> {
  return execInNamespace(namespace, [
    etcdBinaries().etcdctl,
    `--endpoints=${endpoints.join(",")}`,
    `--command-timeout=${timeoutMs}ms`,
    `--dial-timeout=${timeoutMs}ms`,
    ...flags,
    ...args,
  ]);
}
