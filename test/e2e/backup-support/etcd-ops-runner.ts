/**
 * Runs the operator CLI (ops/etcd-ops/main.ts) from the hub namespace, as an operator's machine
 * would, connected through a stack-outputs file (`--outputs`) holding the cluster's endpoints and
 * the admin credentials the program exports.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoPath } from "../../../dev/local-cluster/etcd-binaries";
import type { LocalCluster } from "../../../dev/local-cluster/local-cluster";
import { execInNamespace, type CommandResult } from "../../../dev/local-cluster/namespace-exec";

/** Writes the outputs file of `cluster` (the `pulumi stack output --json --show-secrets` shape). */
export function writeStackOutputs(cluster: LocalCluster, dir: string): string {
  const file = join(dir, `${cluster.network.hubNamespace}-outputs.json`);
  const { admin } = cluster.blueprint;
  writeFileSync(
    file,
    JSON.stringify({
      clientEndpoints: cluster.endpoints(),
      caCertificate: admin.caPem,
      adminClientCertificate: admin.certPem,
      adminClientKey: admin.keyPem,
    }),
    { mode: 0o600 },
  );
  return file;
}

/** `etcd-ops <args> --outputs <file>` in the cluster's hub namespace. */
export function runEtcdOps(cluster: LocalCluster, outputsFile: string, args: readonly string[]): Promise<CommandResult> {
  return execInNamespace(cluster.network.hubNamespace, [process.execPath, "--import", "tsx", repoPath("ops/etcd-ops/main.ts"), ...args, "--outputs", outputsFile]);
}
