/** The health of one member, judged the way `etcdctl endpoint health` judges it, plus its status. */
import { EtcdPermissionDeniedError } from "etcd3";
import { connect, type ClusterAccess } from "./cluster-access";

/** Status figures of a member that answered `Maintenance.Status`. */
export interface MemberStatus {
  /** The member's ID (hex, as `etcdctl member list` prints it). */
  readonly memberId: string;
  /** True when the member is the raft leader. */
  readonly isLeader: boolean;
  /** The store's revision on this member. */
  readonly revision: string;
  /** Size of the backend database file, bytes. */
  readonly dbSizeBytes: number;
  /** The part of that file in use (the rest is free pages a defrag returns), bytes. */
  readonly dbSizeInUseBytes: number;
  readonly raftTerm: string;
  /** The raft index the member has committed. */
  readonly raftIndex: string;
  /** True while the member is a non-voting learner. */
  readonly isLearner: boolean;
  /** The member's etcd server version, e.g. `3.5.16`. */
  readonly version: string;
}

export interface MemberHealth {
  readonly endpoint: string;
  /** A linearizable read through the member succeeded (so a quorum exists) and no alarm is raised. */
  readonly healthy: boolean;
  /** Why the member is not healthy; absent when healthy. */
  readonly problem?: string;
  /** Absent when the member did not answer at all. */
  readonly status?: MemberStatus;
  /** Milliseconds the health read took (or until it failed). */
  readonly tookMs: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** etcd's IDs are uint64 in decimal on the wire; operators know them in hex. */
function hexId(decimal: string): string {
  return BigInt(decimal).toString(16);
}

/**
 * Probes one member: its status, then a linearizable read of the key `health` (a permission error
 * still proves the read went through raft, as etcdctl counts it), then the alarm list.
 */
export async function probeMember(access: ClusterAccess, endpoint: string): Promise<MemberHealth> {
  const client = connect(access, [endpoint], "once");
  const started = Date.now();
  const unhealthy = (problem: string, status?: MemberStatus): MemberHealth => ({
    endpoint,
    healthy: false,
    problem,
    status,
    tookMs: Date.now() - started,
  });
  try {
    let status: MemberStatus;
    try {
      const answer = await client.maintenance.status();
      status = {
        memberId: hexId(answer.header.member_id),
        isLeader: answer.leader === answer.header.member_id,
        revision: answer.header.revision,
        dbSizeBytes: Number(answer.dbSize),
        dbSizeInUseBytes: Number(answer.dbSizeInUse),
        raftTerm: answer.raftTerm,
        raftIndex: answer.raftIndex,
        isLearner: answer.isLearner,
        version: answer.version,
      };
    } catch (error) {
      return unhealthy(`no status: ${messageOf(error)}`);
    }
    const readStarted = Date.now();
    try {
      await client.kv.range({ key: Buffer.from("health") });
    } catch (error) {
      if (!(error instanceof EtcdPermissionDeniedError)) return unhealthy(`read failed: ${messageOf(error)}`, status);
    }
    const tookMs = Date.now() - readStarted;
    const { alarms } = await client.maintenance.alarm({ action: "Get" });
    if (alarms.length > 0) {
      const raised = alarms.map((alarm) => `${alarm.alarm} on ${hexId(alarm.memberID)}`).join(", ");
      return unhealthy(`alarm raised: ${raised}`, status);
    }
    return { endpoint, healthy: true, status, tookMs };
  } catch (error) {
    return unhealthy(messageOf(error));
  } finally {
    client.close();
  }
}

/** Probes every member at once. */
export function probeCluster(access: ClusterAccess): Promise<MemberHealth[]> {
  return Promise.all(access.endpoints.map((endpoint) => probeMember(access, endpoint)));
}
