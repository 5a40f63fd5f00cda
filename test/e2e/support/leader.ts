/**
 * Who leads and who belongs, as the members report it (etcdctl's JSON output, member IDs in hex).
 */
import type { EtcdMember } from "../../../dev/local-cluster/etcd-member";
import { expectOk } from "../../../dev/local-cluster/namespace-exec";
import type { LocalCluster } from "../../../dev/local-cluster/local-cluster";

interface EndpointStatus {
  readonly Endpoint: string;
  readonly Status: { readonly header: { readonly member_id: number | string }; readonly leader: number | string };
}

/** The member every reachable member names as leader. Throws when they disagree or there is none. */
export async function currentLeader(cluster: LocalCluster): Promise<EtcdMember> {
  const running = cluster.members.filter((member) => member.isRunning);
  // Member IDs are uint64: compare them as text, never as (rounded) JavaScript numbers.
  const out = expectOk(await cluster.etcdctl(["endpoint", "status", "-w", "json", "--hex"], running), "endpoint status");
  const statuses = JSON.parse(out) as EndpointStatus[];
  const leaders = new Set(statuses.map((status) => String(status.Status.leader)));
  const leaderStatus = statuses.find((status) => String(status.Status.header.member_id) === String(status.Status.leader));
  if (leaders.size !== 1 || leaderStatus === undefined) throw new Error(`no single leader: ${out}`);
  const leader = running.find((member) => member.clientUrl === leaderStatus.Endpoint);
  if (leader === undefined) throw new Error(`leader ${leaderStatus.Endpoint} is not a member of this cluster`);
  return leader;
}

/** One row of `member list`. */
export interface MemberListEntry {
  readonly id: string;
  /** Empty until the member has started and published its name. */
  readonly name: string;
  readonly peerUrls: readonly string[];
}

/** `etcdctl member list`, IDs in hex. */
export async function memberList(cluster: LocalCluster): Promise<MemberListEntry[]> {
  const running = cluster.members.filter((member) => member.isRunning);
  const out = expectOk(await cluster.etcdctl(["member", "list", "-w", "json", "--hex"], running), "member list");
  const members = (JSON.parse(out) as { members: { ID: string; name?: string; peerURLs: string[] }[] }).members;
  return members.map((member) => ({ id: String(member.ID), name: member.name ?? "", peerUrls: member.peerURLs }));
}
