/**
 * The stack's configuration after validation and defaults (resolve.ts): what the components
 * consume. Every field is a plain value: values that decide how many resources exist are never
 * Pulumi inputs. Defaults are named in defaults.ts, the one place that fills them.
 */
import type { TuningSettings } from "../etcd/types";

export type { TuningSettings };

/** A gp3 EBS volume's size and performance. AWS limits are checked in volume-schema.ts. */
export interface VolumeSettings {
  /** Size in GiB. */
  readonly sizeGiB: number;
  /** Provisioned IOPS: 3000 to 16000, at most 500 per GiB. */
  readonly iops: number;
  /** Provisioned throughput in MiB/s: 125 to 1000, at most IOPS / 4. */
  readonly throughputMiBps: number;
}

/** Key and validity settings of every certificate the program issues. */
export interface PkiSettings {
  readonly keyAlgorithm: "ECDSA" | "RSA";
  /** Used when keyAlgorithm is ECDSA. Never P224 (the provider default): Go's TLS refuses it. */
  readonly ecdsaCurve: "P256" | "P384";
  /** Used when keyAlgorithm is RSA: at least 2048. */
  readonly rsaBits: number;
  /** Validity of the CA certificate, in hours. */
  readonly caValidityHours: number;
  /** Validity of member and client certificates, in hours. */
  readonly certValidityHours: number;
  /** A member or client certificate is re-issued (on the next `pulumi up`) this many hours before it expires; never the CA (README "Rotating the CA"). */
  readonly earlyRenewalHours: number;
  /** The staged CA rotation's state (pki/ca-rotation.ts, CaRotation below); absent while the first CA is in use. */
  readonly caRotation?: CaRotation | undefined;
}

/** The stages of one CA rotation, in the order they run, one `pulumi up` each (pki/ca-rotation.ts: what each declares). */
export const CA_ROTATION_STAGES = ["trust-both", "reissue-leaves", "drop-old-ca"] as const;

export type CaRotationStage = (typeof CA_ROTATION_STAGES)[number];

/** `pki.caRotation`: the CA generation being introduced and the stage reached. Absent: generation 0, never rotated. */
export interface CaRotation {
  /** 1 for the first rotation, 2 for the second, …: generation `generation - 1` is the old CA. */
  readonly generation: number;
  readonly stage: CaRotationStage;
}

/** Regular backups: etcd snapshots to S3 from a healthy member, and EBS snapshots of each member's volumes. */
export interface BackupSettings {
  /** systemd `OnCalendar` expression of the etcd snapshot timer on every member, e.g. `*:0/30`. */
  readonly snapshotSchedule: string;
  /** Days an etcd snapshot object is kept in the backup bucket (S3 lifecycle). */
  readonly retentionDays: number;
  /** Data Lifecycle Manager: crash-consistent snapshots of a member's data and WAL volumes together. */
  readonly volumeSnapshots: {
    /** Hours between volume snapshots (DLM accepts 1, 2, 3, 4, 6, 8, 12 or 24). */
    readonly intervalHours: number;
    /** Snapshots kept per member. */
    readonly retainCount: number;
  };
}

/** Start a new cluster from a snapshot instead of empty. */
export interface RestoreSettings {
  /** `s3://bucket/key` of an etcd snapshot (`etcdctl snapshot save` output). */
  readonly snapshotUri: string;
  /** Hex SHA-256 of that object: the restore refuses any other content. */
  readonly snapshotSha256: string;
}

/** Operating system images the boot script supports. */
export type OsImage = "al2023" | "debian13";

/** The validated, defaulted configuration of one etcd cluster. */
export interface ClusterConfig {
  /** Names every resource and tag, and is the etcd `initial-cluster-token` prefix. Default: `etcd-<stack>`. */
  readonly clusterName: string;
  /** Odd member count, 1 to 7 (1 only with allowSingleMember). */
  readonly members: number;
  readonly allowSingleMember: boolean;
  /** prod: protect data volumes and the backup bucket, retain them on delete; fewer AZs than needed is an error. */
  readonly protectData: boolean;
  /**
   * Let a change replace running members' ENIs or volumes (their address or data) instead of
   * refusing it (plan/member-replacement-rules.ts): for one deliberate `pulumi up`, then unset.
   */
  readonly allowMemberReplacement: boolean;
  readonly vpcId: string;
  /** One subnet per AZ; members are spread round-robin over them. */
  readonly subnetIds: readonly string[];
  readonly instanceType: string;
  /** Explicit AMI; when absent the latest image of `osImage` is read from the vendor's public SSM parameter. */
  readonly ami?: string;
  readonly osImage: OsImage;
  /** Pinned etcd release, one of versions.ts's supported list. */
  readonly etcdVersion: string;
  /** Base URL of a mirror of the etcd release tarballs (air-gapped VPCs, e.g. an S3 bucket). */
  readonly etcdDownloadBaseUrl?: string;
  readonly dataVolume: VolumeSettings;
  readonly walVolume: VolumeSettings;
  /** KMS key for volume encryption; AWS's default EBS key when absent. */
  readonly kmsKeyId?: string;
  readonly clientCidrs: readonly string[];
  readonly clientSecurityGroupIds: readonly string[];
  readonly monitoringCidrs: readonly string[];
  readonly tuning: TuningSettings;
  readonly pki: PkiSettings;
  readonly backup: BackupSettings;
  /** When set, every member's first boot restores this snapshot (never over existing data). */
  readonly restore?: RestoreSettings;
  /** Extra tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
}

/** One configuration problem, naming the key, the value and the fix. */
export interface ConfigProblem {
  /** Config key path, e.g. `etcd-cluster:dataVolume.iops`. */
  readonly key: string;
  readonly message: string;
}
