import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { MemberBundleObject } from "../core/member/member-boot";

/**
 * The member's bundle (member-boot.ts) as an object in the cluster's backup bucket, under
 * `<cluster>/members/<member>/`, which only that member's role may read. The key carries the
 * bundle's digest, so a changed bundle is a new object: Pulumi creates it before the instance that
 * pins it is replaced and deletes the old one after. Not protected, even with `protectData`: it is
 * rendered anew from the stack on every `up`, and a rollout must be able to delete the old one.
 * No tags: S3 allows 10 per object, fewer than the stack's tags may be. Encrypted at rest with
 * S3-managed keys (SSE-S3) whatever the bucket's default: a bundle holds no secret, so neither the
 * deployer nor the member needs the stack's KMS key for it, and their policies stay smaller.
 */
export function createMemberBundleObject(
  resourcePrefix: string,
  args: {
    readonly bundle: pulumi.Output<MemberBundleObject>;
    /** The backup bucket's default encryption: the bucket is fully set up before objects land in it. */
    readonly after: readonly pulumi.Resource[];
  },
  opts: pulumi.CustomResourceOptions,
): aws.s3.BucketObjectv2 {
  const { bundle } = args;
  return new aws.s3.BucketObjectv2(
    `${resourcePrefix}-bundle`,
    {
      bucket: bundle.bucketName,
      key: bundle.key,
      contentBase64: bundle.contentBase64,
      contentType: "application/gzip",
      serverSideEncryption: "AES256",
    },
    { ...opts, dependsOn: [...args.after] },
  );
}
