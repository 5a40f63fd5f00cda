/**
 * What the drill's invariants judge, as etcd itself reports it after a step: the membership (voters
 * and learners, from `member list`), which voters answer `/health` through their own client URL,
 * and the cluster ID every answering member carries. Nothing here comes from the rendered state.
 */
import type { EtcdMember } from "../local-cluster/etcd-member";
import type { LocalCluster } from "../local-cluster/local-cluster";
import type { CommandResult } from "../local-cluster/namespace-exec";

/**
 * etcdctl as the operator, against the given members, bounded by `timeoutMs`. The operator holds
 * the admin credentials of every rendering so far (a CA renewal gives new ones): the first that
 * works is used.
 */
export type AskEtcd = (args: readonly string[], members: readonly EtcdMember[], timeoutMs: number) => Promise<CommandResult>;

/** Bound of each question to one member. */
const ASK_TIMEOUT_MS = 3_000;

export interface ListedMember {
  /** Empty until the member has started. */
  readonly name: string;
  readonly peerUrl: string;
  readonly isLearner: boolean;
}

export interface ClusterView {
  /** `member list` of the first running member that answered; undefined when none did. */
  readonly listed: readonly ListedMember[] | undefined;
  /** Peer URLs of the listed voters whose member is not healthy (process down or `/health` false). */
  readonly votersDown: readonly string[];
  /** Distinct cluster IDs (hex) the running members report, or log when they serve no client yet, with who reports each. */
  readonly clusterIds: ReadonlyMap<string, readonly string[]>;
}

/** `member list -w json` (without `--hex`, whose JSON leaves `isLearner` out); member IDs are not read. */
interface MemberListJson {
  readonly members?: readonly { name?: string; peerURLs: string[]; isLearner?: boolean }[];
}

/** The cluster ID of `endpoint status -w json`, read as text: a uint64 does not fit a JavaScript number. */
const CLUSTER_ID = /"cluster_id":(\d+)/;
/** etcd's log line naming its cluster when it starts or restarts a member (zap JSON, hex). */
const LOGGED_CLUSTER_ID = /"cluster-id":"([0-9a-f]+)"/g;

async function memberListVia(ask: AskEtcd, member: EtcdMember): Promise<ListedMember[] | undefined> {
  const result = await ask(["member", "list", "-w", "json"], [member], ASK_TIMEOUT_MS);
  if (!result.ok) return undefined;
  return ((JSON.parse(result.stdout) as MemberListJson).members ?? []).map((entry) => ({
    name: entry.name ?? "",
    peerUrl: entry.peerURLs[0] ?? "",
    isLearner: entry.isLearner === true,
  }));
}

async function healthy(ask: AskEtcd, member: EtcdMember): Promise<boolean> {
  if (!member.isRunning) return false;
  const result = await ask(["endpoint", "health"], [member], ASK_TIMEOUT_MS);
  return result.ok;
}

async function clusterIdOf(ask: AskEtcd, member: EtcdMember): Promise<string | undefined> {
  const result = await ask(["endpoint", "status", "-w", "json"], [member], ASK_TIMEOUT_MS);
  const answered = result.ok ? CLUSTER_ID.exec(result.stdout)?.[1] : undefined;
  if (answered !== undefined) return BigInt(answered).toString(16);
  // etcd 3.5 serves no client before it has joined a quorum: its own log says which cluster it is in.
  return [...member.log().matchAll(LOGGED_CLUSTER_ID)].at(-1)?.[1];
}

/** Asks the running members; `lastListed` stands in for the membership when none answers. */
export async function viewCluster(cluster: LocalCluster, ask: AskEtcd, lastListed: readonly ListedMember[] | undefined): Promise<ClusterView> {
  const running = cluster.members.filter((member) => member.isRunning);
  let listed: ListedMember[] | undefined;
  for (const member of running) {
    listed = await memberListVia(ask, member);
    if (listed !== undefined) break;
  }
  const membership = listed ?? lastListed ?? [];
  const votersDown: string[] = [];
  for (const voter of membership.filter((entry) => !entry.isLearner)) {
    const member = cluster.members.find((candidate) => candidate.peerUrl === voter.peerUrl);
    if (member === undefined || !(await healthy(ask, member))) votersDown.push(voter.peerUrl);
  }
  const clusterIds = new Map<string, string[]>();
  for (const member of running) {
    const id = await clusterIdOf(ask, member);
    if (id !== undefined) clusterIds.set(id, [...(clusterIds.get(id) ?? []), member.name]);
  }
  return { listed, votersDown, clusterIds };
}

/** One line for the step log: voters, learners, who is down, cluster IDs. */
export function describeView(view: ClusterView, nameOf: (peerUrl: string) => string): string {
  const listed = view.listed;
  const membership =
    listed === undefined
      ? "no member answers member list"
      : `voters [${listed
          .filter((entry) => !entry.isLearner)
          .map((entry) => nameOf(entry.peerUrl))
          .join(", ")}]` +
        (listed.some((entry) => entry.isLearner)
          ? `, learners [${listed
              .filter((entry) => entry.isLearner)
              .map((entry) => nameOf(entry.peerUrl))
              .join(", ")}]`
          : "");
  const down = view.votersDown.length === 0 ? "no voter down" : `voters down [${view.votersDown.map(nameOf).join(", ")}]`;
  const ids = [...view.clusterIds.entries()].map(([id, members]) => `${id} (${members.join(", ")})`).join("; ");
  return `${membership}; ${down}; cluster ID ${ids || "none answers"}`;
}
