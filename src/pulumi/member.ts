import type * as aws from "@pulumi/aws";
import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../core/config/types";
import { certificatesFingerprint } from "../core/member/certificates-fingerprint";
import type { MemberEndpoint } from "../core/etcd/types";
import type { ClusterPlan, MemberPlan } from "../core/plan/cluster-plan";
import type { MemberCertificates } from "./pki";
import type { BackupBucket } from "./backup-bucket";
import { createMemberHealthGate } from "./health-gate";
import { createPreDisruptionGate } from "./pre-disruption-gate";
import { createMemberInstanceRole } from "./iam";
import { createMemberInstance } from "./member-instance";
import { renderMemberBoot } from "../core/member/member-boot";
import { createMemberBundleObject } from "./member-bundle-object";
import { memberRolePolicy } from "../core/aws/member-policy";
import { createMemberSecretParameters } from "./member-secrets";
import { createMemberVolume } from "./member-volume";
import { caRotationTag, memberTags, TAG_KEYS, type VolumeRole } from "../core/aws/tags";

/** What one member is built from. Its ENI and certificates come ready: every member's are needed first. */
export interface EtcdMemberArgs {
  /** The member's plan: name, index, SSM path, health gate condition. */
  readonly member: MemberPlan;
  /** The cluster's plan: tuning, etcd release, gate limits, the member that runs removals. */
  readonly plan: ClusterPlan;
  /** The cluster's config: instance type, volumes, KMS key, OS, protection, tags. */
  readonly config: ClusterConfig;
  /** The member's own ENI (member-network-interface.ts). */
  readonly networkInterface: aws.ec2.NetworkInterface;
  /** The AZ of the member's subnet: its volumes must be there. */
  readonly availabilityZone: pulumi.Input<string>;
  /** This member's endpoint. */
  readonly endpoint: pulumi.Output<MemberEndpoint>;
  /** Every member's endpoint, in member order (`initial-cluster`). */
  readonly cluster: pulumi.Output<MemberEndpoint[]>;
  /** The AMI the instance boots (image.ts). */
  readonly imageId: pulumi.Input<string>;
  /** The member's server and peer certificates; they reach it through its own SSM parameters. */
  readonly certificates: MemberCertificates;
  /** The cluster CA certificate's parameter, readable by every member. */
  readonly caParameter: aws.ssm.Parameter;
  /**
   * The cluster's backup bucket: the member uploads snapshots under its cluster's prefix, and its
   * bundle waits under `<cluster>/members/<member>/`.
   */
  readonly backupBucket: BackupBucket;
  /** AWS region of the parameters and the instance. */
  readonly region: string;
  /** The previous member's health gate in the rollout order (none for the first): this member's gates and instance wait for it. */
  readonly after: readonly pulumi.Resource[];
}

/** The resources of one member a user or a later step refers to. */
export interface EtcdMemberResources {
  /** The member's current instance; replaced on a configuration change, the volumes stay. */
  readonly instance: aws.ec2.Instance;
  /** The volume holding etcd's `data-dir`. */
  readonly dataVolume: aws.ebs.Volume;
  /** The volume holding etcd's `wal-dir`. */
  readonly walVolume: aws.ebs.Volume;
  /** Run before this member's instance is replaced or stopped: the cluster must be able to lose it (pre-disruption-gate.ts). */
  readonly preDisruptionGate: command.local.Command;
  /** Done once this member is up (healthy, past the bootstrap); the next member waits for it. */
  readonly healthGate: command.local.Command;
}

/**
 * One member's secrets, role, volumes, pre-disruption gate, instance and health gate (its removal: cluster.ts). Resource names are
 * `<resourcePrefix>-<part>` (`etcd-member-0-data`): they never depend on anything but the member's
 * position, because a renamed resource is replaced, and replacing a volume loses the member's data.
 */
export function createEtcdMember(resourcePrefix: string, args: EtcdMemberArgs, opts: pulumi.CustomResourceOptions): EtcdMemberResources {
  const { config, plan } = args;
  const memberName = args.member.name;
  const tagged = (nameTag: string, extra: Record<string, string> = {}) => ({
    ...memberTags(config.tags, config.clusterName, memberName, nameTag),
    ...extra,
  });
  const parameterPath = args.member.parameterPath;
  const secretSettings = { kmsKeyArn: config.kmsKeyId, tags: tagged(`${memberName}-tls`) };

  const parameters = createMemberSecretParameters(resourcePrefix, parameterPath, args.certificates, secretSettings, opts);
  const policy = pulumi
    .all([pulumi.all(parameters.map((parameter) => parameter.arn)), args.caParameter.arn, args.backupBucket.bucketArn])
    .apply(([ownParameterArns, caParameterArn, backupBucketArn]) =>
      memberRolePolicy({
        region: args.region,
        clusterName: config.clusterName,
        memberName,
        etcdReleaseUrl: plan.etcd.url,
        ownParameterArns,
        caParameterArn,
        backupBucketArn,
        restoreSnapshotUri: config.restore?.snapshotUri,
        kmsKeyArn: config.kmsKeyId,
      }),
    );
  const role = createMemberInstanceRole(resourcePrefix, { policy, tags: tagged(memberName) }, opts);

  const volume = (role: VolumeRole) =>
    createMemberVolume(
      resourcePrefix,
      {
        role,
        availabilityZone: args.availabilityZone,
        settings: role === "data" ? config.dataVolume : config.walVolume,
        kmsKeyArn: config.kmsKeyId,
        protectData: config.protectData,
        tags: tagged(`${memberName}-${role}`, { [TAG_KEYS.volumeRole]: role }),
      },
      opts,
    );
  const dataVolume = volume("data");
  const walVolume = volume("wal");

  // The certificates' PEMs travel as Pulumi secrets (the CA's parameter value is one); their hash
  // is not secret, and must not make the whole user data secret.
  const fingerprint = pulumi.unsecret(
    pulumi
      .all([args.caParameter.value, args.certificates.server.certPem, args.certificates.peer.certPem])
      .apply(([caCertPem, serverCertPem, peerCertPem]) => certificatesFingerprint({ caCertPem, serverCertPem, peerCertPem })),
  );
  const boot = pulumi
    .all([args.endpoint, args.cluster, dataVolume.id, walVolume.id, args.backupBucket.bucketName, fingerprint])
    .apply(([member, cluster, dataVolumeId, walVolumeId, bucketName, certificatesFingerprint]) =>
      renderMemberBoot({
        member,
        memberIndex: args.member.index,
        cluster,
        clusterToken: plan.clusterToken,
        tuning: plan.tuning,
        etcd: plan.etcd,
        osImage: config.osImage,
        dataVolumeId,
        walVolumeId,
        secrets: {
          region: args.region,
          memberParameterPath: parameterPath,
          caParameterName: plan.caParameterName,
        },
        certificatesFingerprint,
        backup: { clusterName: config.clusterName, bucketName, schedule: config.backup.snapshotSchedule },
        certificateRenewalHours: config.pki.earlyRenewalHours,
        restore: config.restore,
      }),
    );
  const bundleObject = createMemberBundleObject(resourcePrefix, { bundle: boot.bundle, after: [args.backupBucket.encryption] }, opts);
  // What replaces or stops the instance when it changes (member-instance.ts): the gate runs first.
  const disruptingInputs = {
    imageId: args.imageId,
    instanceType: config.instanceType,
    networkInterfaceId: args.networkInterface.id,
    userDataBase64: boot.userDataBase64,
    dataVolumeId: dataVolume.id,
    walVolumeId: walVolume.id,
    kmsKeyArn: config.kmsKeyId,
  };
  const preDisruptionGate = createPreDisruptionGate(
    resourcePrefix,
    { memberName, clusterName: config.clusterName, disruptingInputs, limits: plan.preDisruptionGateLimits, after: args.after, region: args.region },
    opts,
  );
  const { instance, dataAttachment, walAttachment } = createMemberInstance(
    resourcePrefix,
    {
      ...disruptingInputs,
      instanceProfileName: role.instanceProfile.name,
      // The release this instance's user data installs: etcd-upgrade-check.ts reads it back.
      // With it, the CA rotation state its certificates belong to: ca-rotation-check.ts reads it back.
      tags: tagged(memberName, { [TAG_KEYS.etcdVersion]: plan.etcd.version, ...caRotationTag(config.pki.caRotation) }),
      // The bundle and the secrets must be in place before the bootstrap and the boot script fetch them.
      after: [...args.after, preDisruptionGate, bundleObject, ...parameters, args.caParameter],
    },
    opts,
  );
  const healthGate = createMemberHealthGate(
    resourcePrefix,
    {
      memberName,
      instance,
      attachments: [dataAttachment, walAttachment],
      region: args.region,
      conditionAtCreate: args.member.gateConditionAtCreate,
      limits: plan.gateLimits,
    },
    opts,
  );
  return { instance, dataVolume, walVolume, preDisruptionGate, healthGate };
}
