import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Device names the volumes are attached under. The boot script does not rely on them (on Nitro
 * instances the kernel names NVMe devices in attachment order); it finds each volume by its ID.
 */
export const VOLUME_DEVICE_NAMES = { data: "/dev/sdf", wal: "/dev/sdg" } as const;

/**
 * IMDSv2 only, and a PUT hop limit of 1: the session token cannot leave the instance. Nothing on a
 * member runs in a container behind an extra network hop, so the 2 that container hosts need would
 * only widen who can obtain the role's credentials.
 */
const METADATA_OPTIONS = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 } as const;

/** What a member's instance is made of. */
export interface MemberInstanceArgs {
  /** The AMI (image.ts). */
  readonly imageId: pulumi.Input<string>;
  /** EC2 instance type, e.g. `m6i.large`. */
  readonly instanceType: string;
  /** The member's own ENI (member-network-interface.ts): the instance's primary interface. */
  readonly networkInterfaceId: pulumi.Input<string>;
  /** The member's own instance profile (iam.ts). */
  readonly instanceProfileName: pulumi.Input<string>;
  /** cloud-init user data (the bootstrap, member-boot.ts), base64-encoded; holds no secret (the boot script fetches keys from SSM). */
  readonly userDataBase64: pulumi.Input<string>;
  /** The member's data volume, attached as VOLUME_DEVICE_NAMES.data. */
  readonly dataVolumeId: pulumi.Input<string>;
  /** The member's WAL volume, attached as VOLUME_DEVICE_NAMES.wal. */
  readonly walVolumeId: pulumi.Input<string>;
  /** KMS key ARN for the root volume; AWS's default EBS key when absent. */
  readonly kmsKeyArn?: string;
  /** Tags of the instance and its root volume. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * What must be finished before this instance is created or replaced: the previous member's health
   * gate, so a rollout never takes down more than one member at a time.
   */
  readonly after: readonly pulumi.Resource[];
}

/** A member's instance and its two volume attachments. */
export interface MemberInstance {
  /** The instance, booted from the member's user data. */
  readonly instance: aws.ec2.Instance;
  /** Attachment of the data volume to this instance. */
  readonly dataAttachment: aws.ec2.VolumeAttachment;
  /** Attachment of the WAL volume to this instance. */
  readonly walAttachment: aws.ec2.VolumeAttachment;
}

/**
 * The member's instance, attached to the member's own ENI and volumes.
 * - delete-before-replace: the ENI and the volumes can be attached to one instance only, so the old
 *   instance must be gone before its replacement can take them;
 * - `userDataReplaceOnChange`: cloud-init runs user data once per instance, so a changed etcd
 *   configuration reaches the member only through a new instance; without it AWS would stop and
 *   start the old instance with the new user data ignored. The replacement boots with the same data
 *   and WAL, and etcd restarts as the same member.
 */
export function createMemberInstance(resourcePrefix: string, args: MemberInstanceArgs, opts: pulumi.CustomResourceOptions): MemberInstance {
  const instance = new aws.ec2.Instance(
    `${resourcePrefix}-instance`,
    {
      ami: args.imageId,
      instanceType: args.instanceType,
      primaryNetworkInterface: { networkInterfaceId: args.networkInterfaceId, deleteOnTermination: false },
      iamInstanceProfile: args.instanceProfileName,
      metadataOptions: { ...METADATA_OPTIONS },
      userDataBase64: args.userDataBase64,
      userDataReplaceOnChange: true,
      rootBlockDevice: {
        volumeType: "gp3",
        encrypted: true,
        kmsKeyId: args.kmsKeyArn,
        deleteOnTermination: true,
        tags: { ...args.tags },
      },
      tags: { ...args.tags },
    },
    { ...opts, deleteBeforeReplace: true, dependsOn: [...args.after] },
  );
  const attach = (role: keyof typeof VOLUME_DEVICE_NAMES, volumeId: pulumi.Input<string>) =>
    new aws.ec2.VolumeAttachment(
      `${resourcePrefix}-${role}-attachment`,
      // Stop the instance before detaching: etcd shuts down cleanly and never loses its disk mid-write.
      { instanceId: instance.id, volumeId, deviceName: VOLUME_DEVICE_NAMES[role], stopInstanceBeforeDetaching: true },
      // A volume is attached to one instance at a time: the old attachment goes first.
      { ...opts, deleteBeforeReplace: true },
    );
  return { instance, dataAttachment: attach("data", args.dataVolumeId), walAttachment: attach("wal", args.walVolumeId) };
}
