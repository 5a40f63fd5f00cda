import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memberBackupPolicy } from "../../../components/aws/backup-policy";

const BUCKET_ARN = "arn:aws:s3:::etcd-prod-backups-1a2b3c4";

describe("memberBackupPolicy", () => {
  it("lets a member write and abort uploads under its cluster's snapshot prefix, and nothing else", () => {
    assert.deepEqual(memberBackupPolicy({ bucketArn: BUCKET_ARN, clusterName: "etcd-prod" }), {
      Version: "2012-10-17",
      Statement: [{
        Sid: "WriteEtcdSnapshots",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
        Resource: ["arn:aws:s3:::etcd-prod-backups-1a2b3c4/etcd-prod/snapshots/*"],
      }],
    });
  });

  it("adds reading exactly the restore snapshot object, in the bucket's partition, when the cluster restores", () => {
    const policy = memberBackupPolicy({
      bucketArn: "arn:aws-cn:s3:::etcd-prod-backups-1a2b3c4",
      clusterName: "etcd-prod",
      restoreSnapshotUri: "s3://etcd-old-backups/etcd-old/snapshots/20260101T000000Z-rev42-etcd-old-0.db",
    });
    assert.deepEqual(policy.Statement[1], {
      Sid: "ReadRestoreSnapshot",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: ["arn:aws-cn:s3:::etcd-old-backups/etcd-old/snapshots/20260101T000000Z-rev42-etcd-old-0.db"],
    });
  });

  it("adds the bucket's KMS key for encrypting uploads when the bucket uses SSE-KMS", () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const policy = memberBackupPolicy({ bucketArn: BUCKET_ARN, clusterName: "etcd-prod", kmsKeyArn: key });
    assert.deepEqual(policy.Statement[1], { Sid: "UseBackupBucketKey", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: [key] });
  });

  it("never grants listing, deleting or anything on the bucket itself", () => {
    const policy = memberBackupPolicy({
      bucketArn: BUCKET_ARN,
      clusterName: "etcd-prod",
      restoreSnapshotUri: "s3://etcd-prod-backups-1a2b3c4/etcd-prod/snapshots/x.db",
    });
    const actions = policy.Statement.flatMap((statement) => statement.Action);
    const resources = policy.Statement.flatMap((statement) => statement.Resource);
    assert.deepEqual(actions.filter((action) => /List|Delete|\*/.test(action)), []);
    assert.equal(resources.includes(BUCKET_ARN), false);
  });

  it("refuses a restore URI that is not an S3 object", () => {
    assert.throws(
      () => memberBackupPolicy({ bucketArn: BUCKET_ARN, clusterName: "etcd-prod", restoreSnapshotUri: "https://example.com/snap.db" }),
      /"https:\/\/example.com\/snap.db" is not an S3 object URI; expected s3:\/\/<bucket>\/<key>/,
    );
  });
});
