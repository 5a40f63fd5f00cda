import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { NONCURRENT_SNAPSHOT_RETENTION_DAYS } from "../../../src/pulumi/backup-bucket";
import type { ProgramRun } from "../../../dev/mock-runtime/run-record";
import type { BackupResourcesArgs } from "./fixtures/backup-resources-program";
import { onlyResourceOfType } from "../../support/resource-graph";
import { runBackupResources } from "./fixtures/run-backup-resources";
import { recordedText } from "../../../dev/mock-runtime/recorded-value";

const BUCKET_SETTINGS = [
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketPolicy:BucketPolicy",
];

function argsFor(protectData: boolean, kmsKeyId?: string): BackupResourcesArgs {
  return {
    bucket: { clusterName: "etcd-prod", retentionDays: 30, protectData, kmsKeyId, tags: { team: "platform" } },
    volumeSnapshots: { clusterName: "etcd-prod", intervalHours: 6, retainCount: 28, tags: {} },
  };
}

describe("BackupBucket of a protected (prod) stack", () => {
  let run: ProgramRun;
  before(async () => {
    run = await runBackupResources(argsFor(true, "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
  });

  it("protects and retains the bucket and every one of its settings, and never force-destroys it", () => {
    const bucket = onlyResourceOfType(run, "aws:s3/bucket:Bucket");
    assert.equal(bucket.inputs["forceDestroy"], false);
    for (const type of ["aws:s3/bucket:Bucket", ...BUCKET_SETTINGS]) {
      const { options } = onlyResourceOfType(run, type);
      assert.deepEqual([options.protect, options.retainOnDelete], [true, true], type);
    }
  });

  it("encrypts with the cluster's KMS key and a bucket key", () => {
    const [rule] = onlyResourceOfType(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs[
      "rules"
    ] as readonly unknown[];
    assert.deepEqual(rule, {
      applyServerSideEncryptionByDefault: {
        sseAlgorithm: "aws:kms",
        kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      },
      bucketKeyEnabled: true,
    });
  });

  it("keeps versions, blocks every kind of public access and disables ACLs", () => {
    assert.deepEqual(onlyResourceOfType(run, "aws:s3/bucketVersioning:BucketVersioning").inputs["versioningConfiguration"], { status: "Enabled" });
    const block = onlyResourceOfType(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
    assert.deepEqual([block["blockPublicAcls"], block["blockPublicPolicy"], block["ignorePublicAcls"], block["restrictPublicBuckets"]], [true, true, true, true]);
    assert.deepEqual(onlyResourceOfType(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs["rule"], { objectOwnership: "BucketOwnerEnforced" });
  });

  it("expires snapshots under the cluster's prefix after the configured days, and old versions after a week", () => {
    const [expire] = onlyResourceOfType(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"] as readonly unknown[];
    assert.deepEqual(expire, {
      id: "expire-snapshots",
      status: "Enabled",
      filter: { prefix: "etcd-prod/snapshots/" },
      expiration: { days: 30 },
      noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_SNAPSHOT_RETENTION_DAYS },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
    });
  });

  it("denies every request that does not use TLS", () => {
    const policy = JSON.parse(recordedText(onlyResourceOfType(run, "aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])) as { Statement: unknown[] };
    const bucketArn = recordedText(onlyResourceOfType(run, "aws:s3/bucket:Bucket").state["arn"]);
    assert.deepEqual(policy.Statement, [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:*"],
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });
});

describe("BackupBucket of an unprotected (dev/test) stack", () => {
  let run: ProgramRun;
  before(async () => {
    run = await runBackupResources(argsFor(false));
  });

  it("is force-destroyed with its snapshots and neither protected nor retained", () => {
    const bucket = onlyResourceOfType(run, "aws:s3/bucket:Bucket");
    assert.equal(bucket.inputs["forceDestroy"], true);
    for (const type of ["aws:s3/bucket:Bucket", ...BUCKET_SETTINGS]) {
      const { options } = onlyResourceOfType(run, type);
      assert.deepEqual([options.protect, options.retainOnDelete], [false, false], type);
    }
  });

  it("encrypts with S3-managed keys when the stack names no KMS key", () => {
    const [rule] = onlyResourceOfType(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs[
      "rules"
    ] as readonly unknown[];
    assert.deepEqual(rule, { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false });
  });
});
