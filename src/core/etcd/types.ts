/**
 * Domain types of an etcd cluster, shared by the pure renderers (this folder) and the components
 * that wire resources. Nothing in src/core imports Pulumi: every function takes plain
 * values and returns plain values, so it can be unit-tested and reused on any platform.
 */

/** Architectures the etcd project publishes release tarballs for, and that AWS instances have. */
export type CpuArchitecture = "amd64" | "arm64";

/** A member's identity, known before any instance exists (see topology.ts). */
export interface MemberSpec {
  /** etcd member name (`name`), stable for the member's life: `<cluster>-<index>`, e.g. `etcd-prod-0`. */
  readonly name: string;
  /** 0-based position in the member set; decides the subnet (round-robin) and resource names. */
  readonly index: number;
  /** Index into the stack's `subnetIds`: members are spread round-robin over the subnets (one AZ each). */
  readonly subnetIndex: number;
}

/** The member set of one cluster and what its size means for availability. */
export interface ClusterTopology {
  /** Number of members: odd, 1 to 7. */
  readonly size: number;
  /** Members that must agree for a write: floor(size / 2) + 1. */
  readonly quorum: number;
  /** Permanent member failures the cluster survives: (size - 1) / 2. */
  readonly faultTolerance: number;
  /** Distinct subnets (AZs) the members are spread over: min(size, subnets). */
  readonly zoneCount: number;
  readonly members: readonly MemberSpec[];
}

/** Where a member is reached: known once its network interface exists. */
export interface MemberEndpoint {
  readonly name: string;
  /** The member's private IPv4 address (its ENI's primary address on AWS). */
  readonly ip: string;
  /** The member's DNS name (its ENI's private DNS name on AWS); goes into certificate SANs. */
  readonly dnsName: string;
}

/** Tuning as the stack states it (src/core/config reads it); tuning.ts derives what is not overridden. */
export interface TuningSettings {
  /** Round-trip time between members in ms; heartbeat and election timeout are derived from it. */
  readonly peerRttMs: number;
  /** Overrides the derived `heartbeat-interval` (ms). */
  readonly heartbeatIntervalMs?: number;
  /** Overrides the derived `election-timeout` (ms). */
  readonly electionTimeoutMs?: number;
  /** `snapshot-count`. */
  readonly snapshotCount: number;
  /** Overrides the `quota-backend-bytes` derived from the data volume size, in GiB. */
  readonly quotaBackendGiB?: number;
  /** `auto-compaction-mode`. */
  readonly autoCompactionMode: "periodic" | "revision";
  /** `auto-compaction-retention`; "0" leaves compaction to the client (kube-apiserver compacts). */
  readonly autoCompactionRetention: string;
  /** `max-request-bytes`. */
  readonly maxRequestBytes: number;
}

/** Tuning values as etcd takes them (flag names in the comments); produced by tuning.ts. */
export interface EtcdTuning {
  /** `heartbeat-interval`, ms. */
  readonly heartbeatIntervalMs: number;
  /** `election-timeout`, ms: at least 5x heartbeat, at most 50000. */
  readonly electionTimeoutMs: number;
  /** `snapshot-count`: committed transactions between snapshots to disk. */
  readonly snapshotCount: number;
  /** `quota-backend-bytes`. */
  readonly quotaBackendBytes: number;
  /** `auto-compaction-mode`. */
  readonly autoCompactionMode: "periodic" | "revision";
  /** `auto-compaction-retention`: a duration ("1h") for periodic, a revision count for revision; "0" turns it off. */
  readonly autoCompactionRetention: string;
  /** `max-request-bytes`. */
  readonly maxRequestBytes: number;
}
