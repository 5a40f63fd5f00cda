/** `etcd-ops health`: every member's health and status as a table, like `etcdctl endpoint health --cluster`. */
import type { ClusterAccess } from "./cluster-access";
import { probeCluster, type MemberHealth } from "./member-health";
import { formatBytes } from "./progress";
import { formatTable } from "./text-table";

const COLUMNS = ["ENDPOINT", "HEALTHY", "LEADER", "MEMBER ID", "REVISION", "DB SIZE", "RAFT TERM", "VERSION", "TOOK", "PROBLEM"];

function row(member: MemberHealth): string[] {
  const { status } = member;
  return [
    member.endpoint,
    member.healthy ? "yes" : "NO",
    status === undefined ? "?" : status.isLeader ? "yes" : "no",
    status?.memberId ?? "?",
    status?.revision ?? "?",
    status === undefined ? "?" : formatBytes(status.dbSizeBytes),
    status?.raftTerm ?? "?",
    status?.version ?? "?",
    `${member.tookMs} ms`,
    member.problem ?? "",
  ];
}

/** The members as an aligned text table, one line per member, in the order given. */
export function formatHealthTable(members: readonly MemberHealth[]): string {
  return formatTable(COLUMNS, members.map(row));
}

/** Prints the table and a summary line; exit code 1 when any member is unhealthy. */
export async function runHealth(access: ClusterAccess): Promise<number> {
  const members = await probeCluster(access);
  const healthy = members.filter((member) => member.healthy).length;
  const leader = members.find((member) => member.status?.isLeader)?.endpoint ?? "none";
  process.stdout.write(`${formatHealthTable(members)}\n${healthy}/${members.length} members healthy; leader: ${leader}\n`);
  return healthy === members.length ? 0 : 1;
}
