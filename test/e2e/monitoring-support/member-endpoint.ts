/**
 * The member metrics endpoint as a member runs it: the installed etcd-member-metrics script (host
 * paths mapped under the member's root), handed one connection at a time on stdin/stdout on port
 * 2382 of the member's address. On a member systemd's socket unit does that; here
 * `systemd-socket-activate --accept --inetd` (same package) does it inside the member's namespace.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { MEMBER_METRICS_SCRIPT_PATH, ETCD_PORTS } from "../../../src/core/member/ports-and-paths";
import type { ClusterBlueprint } from "../../../dev/local-cluster/blueprint";
import { onCleanup } from "../../../dev/local-cluster/cleanup";
import type { EtcdMember } from "../../../dev/local-cluster/etcd-member";
import { mapHostPath, mapScriptHostPaths } from "../../../dev/local-cluster/host-paths";

/** Starts the endpoint of `member` as `blueprint` installs it; returns the function that stops it. */
export function startMemberMetricsEndpoint(blueprint: ClusterBlueprint, member: EtcdMember): () => void {
  const installed = blueprint.members.find((rendered) => rendered.name === member.name)?.installedFiles[MEMBER_METRICS_SCRIPT_PATH];
  if (installed === undefined) throw new Error(`the user data of ${member.name} installs no ${MEMBER_METRICS_SCRIPT_PATH}`);
  const script = mapHostPath(member.root, MEMBER_METRICS_SCRIPT_PATH);
  mkdirSync(dirname(script), { recursive: true });
  writeFileSync(script, mapScriptHostPaths(installed, member.root), { mode: 0o755 });
  const child = spawn(
    "ip",
    ["netns", "exec", member.namespace, "systemd-socket-activate", "--accept", "--inetd", "-l", `${member.ip}:${ETCD_PORTS.memberMetrics}`, script, "serve"],
    { stdio: "ignore" },
  );
  const unregister = onCleanup(() => child.kill("SIGKILL"));
  return () => {
    unregister();
    child.kill("SIGKILL");
  };
}
