/**
 * What `npm run try` shows about the booted cluster: where each member lives on this machine, and
 * the exact commands that reach the cluster from another shell.
 */
import { etcdBinaries } from "../local-cluster/etcd-binaries";
import { tlsFlags } from "../local-cluster/etcdctl";
import type { LocalCluster } from "../local-cluster/local-cluster";

/** Rows under a header, each column as wide as its widest cell. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** One line per member: name, address, data dir and WAL dir (host paths mapped under its temp root). */
export function memberTable(cluster: LocalCluster): string {
  return table(
    ["NAME", "ADDRESS", "DATA DIR", "WAL DIR"],
    cluster.members.map((member) => [member.name, member.ip, member.dataDir, member.walDir]),
  );
}

/**
 * Commands for another shell. The members' addresses exist only inside the test network, so
 * clients run in its hub namespace, with the admin client certificate from the stack outputs.
 */
export function reachCommands(cluster: LocalCluster): string {
  const etcdctl = [
    "ip",
    "netns",
    "exec",
    cluster.network.hubNamespace,
    etcdBinaries().etcdctl,
    `--endpoints=${cluster.endpoints().join(",")}`,
    ...tlsFlags(cluster.adminFiles),
  ].join(" ");
  return [
    `${etcdctl} member list -w table`,
    `${etcdctl} put hello world`,
    `${etcdctl} get hello`,
    `Member logs: ${cluster.members.map((member) => member.logPath).join(" ")}`,
  ].join("\n");
}
