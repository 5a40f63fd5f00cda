import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { VolumeSettings } from "../core/config/types";
import type { VolumeRole } from "../core/aws/tags";

/** One of a member's EBS volumes. */
export interface MemberVolumeArgs {
  /** Which of etcd's directories the volume holds. */
  readonly role: VolumeRole;
  /** The member's AZ: a volume attaches only to an instance in its own AZ. */
  readonly availabilityZone: pulumi.Input<string>;
  /** Size, IOPS and throughput (validated against gp3's limits by src/core/config). */
  readonly settings: VolumeSettings;
  /** KMS key ARN; AWS's default EBS key when absent. */
  readonly kmsKeyArn?: string;
  /** Protect from `pulumi destroy` and keep the volume in AWS when its resource is deleted (prod). */
  readonly protectData: boolean;
  /** Tags, including TAG_KEYS.volumeRole. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A member's data or WAL volume: gp3 with the configured IOPS and throughput, always encrypted.
 * It belongs to the member, not to an instance, so a replacement instance re-attaches it and etcd
 * restarts with its own data. With `protectData`, Pulumi refuses to delete it and a removal from
 * the program leaves the volume in AWS.
 */
export function createMemberVolume(resourcePrefix: string, args: MemberVolumeArgs, opts: pulumi.CustomResourceOptions): aws.ebs.Volume {
  return new aws.ebs.Volume(
    `${resourcePrefix}-${args.role}`,
    {
      availabilityZone: args.availabilityZone,
      type: "gp3",
      size: args.settings.sizeGiB,
      iops: args.settings.iops,
      throughput: args.settings.throughputMiBps,
      encrypted: true,
      kmsKeyId: args.kmsKeyArn,
      tags: { ...args.tags },
    },
    { ...opts, protect: args.protectData, retainOnDelete: args.protectData },
  );
}
