import type { EtcdTuning, TuningSettings } from "./types";

const GiB = 1024 ** 3;

/** etcd's own `heartbeat-interval` default (ms); a derived value never goes below it. */
export const MIN_HEARTBEAT_INTERVAL_MS = 100;

/** etcd's own `election-timeout` default (ms); a derived value never goes below it. */
export const MIN_ELECTION_TIMEOUT_MS = 1000;

/** Derived `election-timeout` in heartbeats: etcd's tuning guide asks for about 10x the peer RTT. */
export const ELECTION_TIMEOUT_HEARTBEATS = 10;

/**
 * Largest derived `quota-backend-bytes`: 8 GiB is etcd's suggested maximum (it warns above it, and a
 * larger backend makes defrag, snapshots and a new member's catch-up slow).
 */
export const MAX_QUOTA_BACKEND_BYTES = 8 * GiB;

/**
 * Share of the data volume the backend may fill. The volume must also hold what etcd writes beside
 * the db: a defrag writes a complete compacted copy of the db before it swaps files, and a follower
 * receiving a snapshot stores the leader's whole db (`*.snap.db`) next to its own. Half the volume
 * leaves room for one full copy.
 */
export const QUOTA_SHARE_OF_DATA_VOLUME = 0.5;

/**
 * Derives etcd's tuning from the stack's settings and the data volume size (etcd tuning guide,
 * https://etcd.io/docs/v3.5/tuning/):
 * - `heartbeat-interval` ≈ the peer round-trip time, never below etcd's 100 ms default;
 * - `election-timeout` = 10 heartbeats, never below etcd's 1000 ms default (etcd requires ≥ 5x
 *   heartbeat and ≤ 50000 ms; config validation checks overrides against both);
 * - `quota-backend-bytes` = half the data volume, at most 8 GiB;
 * - `snapshot-count`, `auto-compaction-*` and `max-request-bytes` pass through.
 * Every derived value yields to its override.
 */
export function deriveTuning(settings: TuningSettings, dataVolumeGiB: number): EtcdTuning {
  const heartbeatIntervalMs = settings.heartbeatIntervalMs ?? Math.max(MIN_HEARTBEAT_INTERVAL_MS, Math.ceil(settings.peerRttMs));
  const electionTimeoutMs = settings.electionTimeoutMs ?? Math.max(MIN_ELECTION_TIMEOUT_MS, ELECTION_TIMEOUT_HEARTBEATS * heartbeatIntervalMs);
  const quotaBackendBytes =
    settings.quotaBackendGiB !== undefined
      ? Math.floor(settings.quotaBackendGiB * GiB)
      : Math.min(MAX_QUOTA_BACKEND_BYTES, Math.floor(dataVolumeGiB * GiB * QUOTA_SHARE_OF_DATA_VOLUME));
  return {
    heartbeatIntervalMs,
    electionTimeoutMs,
    snapshotCount: settings.snapshotCount,
    quotaBackendBytes,
    autoCompactionMode: settings.autoCompactionMode,
    autoCompactionRetention: settings.autoCompactionRetention,
    maxRequestBytes: settings.maxRequestBytes,
  };
}
