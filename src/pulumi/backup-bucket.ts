import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { snapshotKeyPrefix } from "../core/member/scripts/backup-script";
import { clusterBundlesPrefix } from "../core/member/member-bundle";
import { backupBucketPolicy } from "../core/aws/member-policy";
import { clusterTags } from "../core/aws/tags";

/**
 * Days an overwritten or expired snapshot stays recoverable as a noncurrent version: a member can
 * write (so overwrite) under its prefix, and versioning keeps the previous object for this long.
 */
export const NONCURRENT_SNAPSHOT_RETENTION_DAYS = 7;

/** Days after which S3 discards the parts of a snapshot upload that never completed. */
export const INCOMPLETE_UPLOAD_RETENTION_DAYS = 1;

export interface BackupBucketArgs {
  /** ClusterConfig.clusterName: names the bucket and its snapshot prefix. */
  readonly clusterName: string;
  /** BackupSettings.retentionDays: snapshots expire this many days after upload. */
  readonly retentionDays: number;
  /**
   * ClusterConfig.protectData. True: the bucket and its settings are `protect`ed and retained on
   * delete, and S3 refuses to delete a bucket holding snapshots. False (dev/test): `forceDestroy`, so
   * `pulumi destroy` removes it with its snapshots.
   */
  readonly protectData: boolean;
  /** ClusterConfig.kmsKeyId: SSE-KMS with this key (ID or ARN); SSE-S3 (AES256) when absent. */
  readonly kmsKeyId?: string;
  /** ClusterConfig.tags: extra tags on the bucket. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The S3 bucket of a cluster's etcd snapshots (objects under `<cluster>/snapshots/`) and of its
 * members' bundles (under `<cluster>/members/`, member-bundle-object.ts): versioned,
 * encrypted at rest, never public, reachable only over TLS, owned by the bucket owner (no ACLs),
 * with the retention of the stack's config.
 */
export class BackupBucket extends pulumi.ComponentResource {
  /** The bucket's name, for the backup script (`BackupScriptInput.bucketName`). */
  readonly bucketName: pulumi.Output<string>;
  /** The bucket's ARN, for the member role's policy (`memberBackupPolicy`). */
  readonly bucketArn: pulumi.Output<string>;
  /** The bucket's default encryption: objects the program writes (member bundles) wait for it. */
  readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;

  constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("etcd-cluster:aws:BackupBucket", name, {}, opts);
    // Settings share the bucket's protection: deleting one (say the public access block) while the
    // bucket is retained would leave a weakened bucket behind.
    const keep: pulumi.CustomResourceOptions = {
      parent: this,
      protect: args.protectData,
      retainOnDelete: args.protectData,
    };
    const bucket = new aws.s3.Bucket(name, { forceDestroy: !args.protectData, tags: clusterTags(args.tags, args.clusterName, name) }, keep);
    const settings: pulumi.CustomResourceOptions = { ...keep, parent: bucket };

    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, settings);
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      name,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      settings,
    );
    this.encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault:
              args.kmsKeyId === undefined ? { sseAlgorithm: "AES256" } : { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyId },
            // One data key per bucket instead of one KMS call per object.
            bucketKeyEnabled: args.kmsKeyId !== undefined,
          },
        ],
      },
      settings,
    );
    const versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, settings);
    new aws.s3.BucketLifecycleConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-snapshots",
            status: "Enabled",
            filter: { prefix: snapshotKeyPrefix(args.clusterName) },
            expiration: { days: args.retentionDays },
            noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_SNAPSHOT_RETENTION_DAYS },
            abortIncompleteMultipartUpload: { daysAfterInitiation: INCOMPLETE_UPLOAD_RETENTION_DAYS },
          },
          {
            // S3 does not allow `days` and `expiredObjectDeleteMarker` in one rule.
            id: "remove-expired-delete-markers",
            status: "Enabled",
            filter: { prefix: snapshotKeyPrefix(args.clusterName) },
            expiration: { expiredObjectDeleteMarker: true },
          },
          {
            // A rollout deletes a member's old bundle (member-bundle-object.ts); versioning keeps it
            // as a noncurrent version, which goes after the same days as a snapshot's.
            id: "expire-replaced-bundles",
            status: "Enabled",
            filter: { prefix: clusterBundlesPrefix(args.clusterName) },
            noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_SNAPSHOT_RETENTION_DAYS },
            expiration: { expiredObjectDeleteMarker: true },
          },
        ],
      },
      // The noncurrent-version rule needs versioning on first (the provider's documented order).
      { ...settings, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      name,
      { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(backupBucketPolicy(arn))) },
      // S3 aborts concurrent changes to one bucket's public access block and policy (OperationAborted).
      { ...settings, dependsOn: [publicAccessBlock] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
