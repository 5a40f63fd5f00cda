/**
 * Runs the member side of a deployer's SSM command (a member removal, a pre-disruption check) on a
 * harness member: exactly the script bytes the command ships (base64 in the command line), with
 * bash in the member's network namespace, its config mapped, etcd's binaries on PATH. Only the SSM
 * transport from the deployer is not exercised.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { etcdBinaries } from "../../../dev/local-cluster/etcd-binaries";
import type { EtcdMember } from "../../../dev/local-cluster/etcd-member";
import { mapHostPath } from "../../../dev/local-cluster/host-paths";
import { execInNamespace, type CommandResult } from "../../../dev/local-cluster/namespace-exec";

/** Runs the script `command` ships on `on`, with `--config` (the member's mapped config) and `args`. */
export function runShippedMemberScript(on: EtcdMember, command: string, args: readonly string[]): Promise<CommandResult> {
  const shipped = /^echo (\S+) \| base64 -d \| /.exec(command)?.[1];
  if (shipped === undefined) throw new Error(`not a shipped member script: ${command.slice(0, 80)}`);
  const script = mapHostPath(on.root, "/tmp/shipped-member-script");
  mkdirSync(dirname(script), { recursive: true });
  writeFileSync(script, Buffer.from(shipped, "base64"), { mode: 0o755 });
  const env = { PATH: `${etcdBinaries().binDir}:${process.env["PATH"] ?? ""}` };
  return execInNamespace(on.namespace, ["bash", script, "--config", on.configPath, ...args], env);
}
