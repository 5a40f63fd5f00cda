/**
 * The access policies of the backup bucket, as plain JSON documents (pure: plain strings in, a
 * document out). Members may write snapshots under their cluster's prefix and read exactly the one
 * snapshot a restore names; nothing else, not even a listing.
 */
import { snapshotKeyPrefix } from "../etcd/backup-script";
import { parseS3Uri } from "../etcd/s3-uri";
import { policyDocument, type PolicyDocument, type PolicyStatement } from "./policy-document";

/** What the member role's backup permissions depend on. */
export interface MemberBackupPolicyInput {
  /** ARN of the cluster's backup bucket, e.g. `arn:aws:s3:::etcd-prod-backups-1a2b3c4`. */
  readonly bucketArn: string;
  /** ClusterConfig.clusterName: the key prefix the members write under. */
  readonly clusterName: string;
  /** RestoreSettings.snapshotUri when the cluster starts from a snapshot: the one object members may read. */
  readonly restoreSnapshotUri?: string;
  /** ARN of the KMS key encrypting the bucket (SSE-KMS); absent with S3-managed keys (SSE-S3). */
  readonly kmsKeyArn?: string;
}

/** `aws`, `aws-cn` or `aws-us-gov`: the partition an ARN belongs to. */
function partitionOf(arn: string): string {
  const partition = arn.split(":")[1];
  if (!arn.startsWith("arn:") || !partition) throw new Error(`"${arn}" is not an ARN`);
  return partition;
}

/**
 * The member role's backup permissions. The backup script uploads with `aws s3 cp`, which needs
 * `s3:PutObject` (multipart uploads of large snapshots included) and `s3:AbortMultipartUpload` to
 * clean up a failed one; the restore script downloads and reads the metadata of one object
 * (`s3:GetObject` covers GetObject and HeadObject). No `s3:ListBucket`: neither script lists, and
 * without it a missing restore object reads as 403 instead of 404. With SSE-KMS, uploads need
 * `kms:GenerateDataKey`, and completing a multipart upload or reading needs `kms:Decrypt`.
 */
export function memberBackupPolicy(input: MemberBackupPolicyInput): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: "WriteEtcdSnapshots",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: [`${input.bucketArn}/${snapshotKeyPrefix(input.clusterName)}*`],
    },
  ];
  if (input.restoreSnapshotUri !== undefined) {
    const { bucket, key } = parseS3Uri(input.restoreSnapshotUri);
    statements.push({
      Sid: "ReadRestoreSnapshot",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [`arn:${partitionOf(input.bucketArn)}:s3:::${bucket}/${key}`],
    });
  }
  if (input.kmsKeyArn !== undefined) {
    statements.push({
      Sid: "UseBackupBucketKey",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: [input.kmsKeyArn],
    });
  }
  return policyDocument(statements);
}

/** The bucket's own policy: every request over plain HTTP is denied, whoever makes it. */
export function backupBucketPolicy(bucketArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:*"],
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}
