import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memberRolePolicy, type MemberPolicyInput } from "../../../src/core/aws/member-policy";

const INPUT: MemberPolicyInput = {
  region: "eu-west-1",
  clusterName: "etcd-prod",
  memberName: "etcd-prod-0",
  etcdReleaseUrl: "https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz",
  ownParameterArns: ["arn:aws:ssm:eu-west-1:123456789012:parameter/etcd/etcd-prod/members/etcd-prod-0/peer.key"],
  caParameterArn: "arn:aws:ssm:eu-west-1:123456789012:parameter/etcd/etcd-prod/ca.crt",
  backupBucketArn: "arn:aws:s3:::etcd-prod-backups-1a2b3c4",
};

describe("memberRolePolicy", () => {
  it("reads exactly the restore snapshot object, in the bucket's partition, when the cluster restores", () => {
    const policy = memberRolePolicy({
      ...INPUT,
      backupBucketArn: "arn:aws-cn:s3:::etcd-prod-backups-1a2b3c4",
      restoreSnapshotUri: "s3://etcd-old-backups/etcd-old/snapshots/20260101T000000Z-rev42-etcd-old-0.db",
    });
    assert.deepEqual(
      policy.Statement.find((statement) => statement.Sid === "ReadRestoreSnapshot"),
      {
        Sid: "ReadRestoreSnapshot",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: ["arn:aws-cn:s3:::etcd-old-backups/etcd-old/snapshots/20260101T000000Z-rev42-etcd-old-0.db"],
      },
    );
  });

  it("grants no KMS action without a customer key: the aws/ssm key's own policy covers SSM", () => {
    const actions = memberRolePolicy(INPUT).Statement.flatMap((statement) => statement.Action);
    assert.deepEqual(
      actions.filter((action) => action.startsWith("kms:")),
      [],
    );
  });

  it("refuses a restore URI that is not an S3 object", () => {
    assert.throws(
      () => memberRolePolicy({ ...INPUT, restoreSnapshotUri: "https://example.com/snap.db" }),
      /"https:\/\/example.com\/snap.db" is not an S3 object URI; expected s3:\/\/<bucket>\/<key>/,
    );
  });

  it("reads the member's own bundles, and no release object from S3 when etcd comes over https", () => {
    const reads = memberRolePolicy(INPUT).Statement.filter((statement) => statement.Action.includes("s3:GetObject"));
    assert.deepEqual(reads, [
      { Sid: "ReadOwnBundle", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::etcd-prod-backups-1a2b3c4/etcd-prod/members/etcd-prod-0/*"] },
    ]);
  });

  it("reads exactly the one release tarball from an s3:// mirror, in the bucket's partition", () => {
    const policy = memberRolePolicy({
      ...INPUT,
      backupBucketArn: "arn:aws-cn:s3:::etcd-prod-backups-1a2b3c4",
      etcdReleaseUrl: "s3://etcd-mirror/releases/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz",
    });
    assert.deepEqual(
      policy.Statement.find((statement) => statement.Sid === "ReadEtcdReleaseFromMirror"),
      {
        Sid: "ReadEtcdReleaseFromMirror",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: ["arn:aws-cn:s3:::etcd-mirror/releases/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz"],
      },
    );
  });
});
