import type { ClusterTopology, MemberSpec } from "./types";

/** Largest member count offered: beyond 7, every write waits on more members for no real gain. */
export const MAX_MEMBERS = 7;

/** Members that must agree for a write: a majority, floor(N/2) + 1. */
export function quorumSize(members: number): number {
  return Math.floor(members / 2) + 1;
}

/** Permanent member failures a cluster of N members survives: N minus its quorum, (N-1)/2 for odd N. */
export function faultTolerance(members: number): number {
  return members - quorumSize(members);
}

/**
 * Subnets (one AZ each) a cluster needs so that losing a whole AZ never loses quorum: with
 * round-robin placement over Z zones a zone holds at most ceil(N/Z) members, which must not exceed
 * the fault tolerance. 1 member needs 1 zone; 3 need 3; 5 need 3; 7 need 3.
 */
export function zonesNeededForAzLoss(members: number): number {
  const tolerance = faultTolerance(members);
  if (tolerance === 0) return 1;
  return Math.ceil(members / tolerance);
}

/** The line users read in the outputs, e.g. "5 members: quorum 3, tolerates 2 failed members". */
export function faultToleranceLine(members: number): string {
  const tolerance = faultTolerance(members);
  const failures = tolerance === 1 ? "member" : "members";
  return `${members} ${members === 1 ? "member" : "members"}: quorum ${quorumSize(members)}, tolerates ${tolerance} failed ${failures}`;
}

/** Stable etcd member name: the cluster name and the member's index. Never reused for another member. */
export function memberName(clusterName: string, index: number): string {
  return `${clusterName}-${index}`;
}

/**
 * Every name a member of the cluster can have, at any size (indices 0 to MAX_MEMBERS - 1): the
 * peer listener admits exactly these, so it does not change when the cluster is resized.
 */
export function possibleMemberNames(clusterName: string): string[] {
  return Array.from({ length: MAX_MEMBERS }, (_, index) => memberName(clusterName, index));
}

/**
 * Plans the member set: names and round-robin placement over the subnets. Assumes a validated size
 * (src/core/config checks it before anything is planned).
 */
export function planTopology(clusterName: string, members: number, subnetCount: number): ClusterTopology {
  const specs: MemberSpec[] = Array.from({ length: members }, (_, index) => ({
    name: memberName(clusterName, index),
    index,
    subnetIndex: index % subnetCount,
  }));
  return {
    size: members,
    quorum: quorumSize(members),
    faultTolerance: faultTolerance(members),
    zoneCount: Math.min(members, subnetCount),
    members: specs,
  };
}
