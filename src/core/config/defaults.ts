/**
 * Every default of the stack config, named in one place. schema.ts applies them (resolve.ts only
 * adds the stack-dependent cluster name); Pulumi.yaml repeats the scalar ones for `pulumi config`,
 * and a test keeps both in step.
 */
import type { BackupSettings, OsImage, PkiSettings, TuningSettings, VolumeSettings } from "./types";

const HOURS_PER_DAY = 24;
const HOURS_PER_YEAR = 365 * HOURS_PER_DAY;

/** 3 members tolerate one failed member: the smallest size that survives losing a member or an AZ. */
export const DEFAULT_MEMBERS = 3;

export const DEFAULT_ALLOW_SINGLE_MEMBER = false;

/** Off: a change that would replace a member's ENI or volumes is refused (plan/member-replacement-rules.ts). */
export const DEFAULT_ALLOW_MEMBER_REPLACEMENT = false;

/** Off by default so test stacks can be destroyed; production stacks turn it on. */
export const DEFAULT_PROTECT_DATA = false;

/** 2 vCPUs and 8 GiB: etcd's hardware guide for a small cluster (up to about 100 clients). */
export const DEFAULT_INSTANCE_TYPE = "m6i.large";

export const DEFAULT_OS_IMAGE: OsImage = "al2023";

/**
 * The newest 3.6 release of src/core/etcd/versions.ts (the line Kubernetes' current releases
 * run). A literal on purpose: changing it upgrades every stack that does not pin `etcdVersion`, so
 * it moves only by a deliberate edit (a test fails when a newer release is added to the supported
 * list and this one is not bumped), and the upgrade rules (config/upgrade-rules.ts) refuse the
 * move for a cluster that cannot take it in one step.
 */
export const DEFAULT_ETCD_VERSION = "3.6.14";

/** `etcd-<stack>`: unique per stack, so two stacks in one account never share names or tokens. */
export function defaultClusterName(stack: string): string {
  return `etcd-${stack}`;
}

/**
 * gp3's baseline performance, included in the price at any size: more IOPS or throughput costs
 * extra and is a per-stack decision (etcd's hardware guide: 500 sequential IOPS for a heavily
 * loaded cluster, which the baseline exceeds).
 */
const GP3_BASELINE = { iops: 3000, throughputMiBps: 125 } as const;

/**
 * 64 GiB: the derived backend quota is at most 8 GiB (tuning.ts), and the data volume must also
 * hold a defrag's full copy of the db, a snapshot received from the leader (`*.snap.db`) and the
 * raft snapshots; 64 GiB leaves room for all of them several times over.
 */
export const DEFAULT_DATA_VOLUME: VolumeSettings = { sizeGiB: 64, ...GP3_BASELINE };

/**
 * 32 GiB: WAL segments written since the last raft snapshot are never purged, and with the default
 * `snapshot-count` of 10000 entries of up to `max-request-bytes` (1.5 MiB) that is up to about
 * 15 GiB before the next snapshot lets `max-wals` apply.
 */
export const DEFAULT_WAL_VOLUME: VolumeSettings = { sizeGiB: 32, ...GP3_BASELINE };

/**
 * Tuning defaults. Heartbeat and election timeout are derived from `peerRttMs` (tuning.ts); the
 * quota from the data volume; both stay unset here so the derivation applies.
 */
export const DEFAULT_TUNING: TuningSettings = {
  /**
   * Round trips between AZs of one region take 1-2 ms; 10 ms leaves margin for a busy network and
   * still derives etcd's own defaults (`heartbeat-interval` 100 ms, `election-timeout` 1000 ms).
   */
  peerRttMs: 10,
  /** `snapshot-count`: 10000 (3.6's default; 3.5 ships 100000) bounds memory and WAL replay time. */
  snapshotCount: 10000,
  autoCompactionMode: "periodic",
  /**
   * `auto-compaction-retention` "0" (off): kube-apiserver compacts etcd itself every 5 minutes
   * (`--etcd-compaction-interval`), and a second compactor in etcd would only log failed
   * compactions of revisions already gone. A cluster serving other clients must set a retention
   * (e.g. "1h"), or the backend grows until the quota's NOSPACE alarm stops writes.
   */
  autoCompactionRetention: "0",
  /** `max-request-bytes`: etcd's default, 1.5 MiB (kube-apiserver's objects are sized for it). */
  maxRequestBytes: 1572864,
};

/** ECDSA P-256: what etcd's own docs use; never the tls provider's ECDSA default, P224. */
export const DEFAULT_PKI: PkiSettings = {
  keyAlgorithm: "ECDSA",
  ecdsaCurve: "P256",
  rsaBits: 2048,
  caValidityHours: 10 * HOURS_PER_YEAR,
  certValidityHours: HOURS_PER_YEAR,
  earlyRenewalHours: 30 * HOURS_PER_DAY,
};

export const DEFAULT_BACKUP: BackupSettings = {
  /** Every 30 minutes, on the hour and half hour (systemd `OnCalendar`). */
  snapshotSchedule: "*:0/30",
  retentionDays: 14,
  /** Twice a day, kept for a week. */
  volumeSnapshots: { intervalHours: 12, retainCount: 14 },
};
