/**
 * Every IAM statement that decides what a member may do, in one file (pure: plain ARNs in, policy
 * documents out, so a test can evaluate them as AWS would):
 * - the role's trust policy: EC2 may assume it, for the member's instance profile;
 * - the role's one inline policy, every permission the member has (memberRolePolicy);
 * - the backup bucket's own policy, which also applies to the members' requests (backupBucketPolicy).
 * No AWS-managed policy is attached beside the role's: `AmazonSSMManagedInstanceCore` allows
 * `ssm:GetParameter(s)` on `*`, and the `aws/ssm` key lets every principal of the account decrypt
 * through SSM, so with it any member could read every other member's private keys. The role's
 * statements:
 * - the SSM agent's channels for Session Manager and Run Command (health gates, removals);
 * - `ssm:GetParameter` on exactly the member's own TLS parameters and the CA's;
 * - with a customer key, `kms:Decrypt` only through SSM and only for those parameters'
 *   encryption context (`PARAMETER_ARN`), and only through S3 for the backup bucket;
 * - the member's own bundles (its files, member-bundle-object.ts) and, with an `s3://` mirror, the
 *   one etcd release tarball it installs;
 * - snapshot uploads under the cluster's prefix, and the one restore snapshot's download;
 * - CloudWatch metric data into the cluster's own namespace (backup successes, certificate life).
 */
import { snapshotKeyPrefix } from "../member/scripts/backup-script";
import { memberBundlePrefix } from "../member/member-bundle";
import { cloudWatchNamespace } from "../member/scripts/member-metrics";
import { parseS3Uri } from "../formats/s3-uri";
import { partitionOf, s3ObjectArn } from "./arn";
import { policyDocument, type PolicyDocument, type PolicyStatement } from "./policy-document";

/**
 * Who may assume a member's role: EC2, on behalf of the member's instance (its instance profile).
 * The role's `assumeRolePolicy`, as JSON.
 */
export const MEMBER_TRUST_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
} as const;

/** What a member's permissions depend on: plain strings, resolved from other resources' outputs. */
export interface MemberPolicyInput {
  /** AWS region of the member, its parameters and its bucket. */
  readonly region: string;
  /** ClusterConfig.clusterName: the key prefix the member writes snapshots under. */
  readonly clusterName: string;
  /** The member whose role this is: it reads its own bundles only. */
  readonly memberName: string;
  /** The etcd release URL the boot script downloads (versions.ts `etcdReleaseUrl`); `s3://` for an S3 mirror. */
  readonly etcdReleaseUrl: string;
  /** ARNs of the member's own TLS parameters (member-secrets.ts). */
  readonly ownParameterArns: readonly string[];
  /** ARN of the cluster CA's parameter. */
  readonly caParameterArn: string;
  /** ARN of the cluster's backup bucket, e.g. `arn:aws:s3:::etcd-prod-backups-1a2b3c4`. */
  readonly backupBucketArn: string;
  /** RestoreSettings.snapshotUri when the cluster starts from a snapshot: the one object a member may read. */
  readonly restoreSnapshotUri?: string;
  /** ClusterConfig.kmsKeyId: the customer key of the parameters and the bucket; absent: `aws/ssm` and SSE-S3. */
  readonly kmsKeyArn?: string;
}

/**
 * What the SSM agent needs for Session Manager (`ssmmessages:*Channel`) and Run Command
 * (`ec2messages:*`), and to register the instance (`ssm:UpdateInstanceInformation`): AWS's minimum
 * for an instance profile (Systems Manager User Guide, "Create a custom IAM role for Session
 * Manager", "Configure instance permissions required for Systems Manager"). These actions carry no
 * data of other resources; the agent authenticates them as the instance itself. Left out of
 * AmazonSSMManagedInstanceCore: parameters, documents, associations, inventory, patching.
 */
const SSM_AGENT_STATEMENT: PolicyStatement = {
  Sid: "SsmAgentSessionManagerAndRunCommand",
  Effect: "Allow",
  Action: [
    "ssm:UpdateInstanceInformation",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
    "ec2messages:AcknowledgeMessage",
    "ec2messages:DeleteMessage",
    "ec2messages:FailMessage",
    "ec2messages:GetEndpoint",
    "ec2messages:GetMessages",
    "ec2messages:SendReply",
  ],
  Resource: ["*"],
};

/**
 * Reading the member's TLS files: the boot script runs `aws ssm get-parameter --with-decryption`
 * per file, so `ssm:GetParameter` on exactly those ARNs (no `GetParameters`, no by-path read).
 * Under `aws/ssm` no KMS grant is needed (its key policy allows every principal of the account
 * through SSM), so this statement is the only gate. Under a customer key, SSM decrypts as the
 * caller with the encryption context `PARAMETER_ARN` = the parameter's ARN ("How AWS Systems
 * Manager Parameter Store uses AWS KMS"): the grant names exactly these ARNs, so even a ciphertext
 * of another member's key parameter cannot be decrypted with the member's role.
 */
function secretReadStatements(input: MemberPolicyInput): PolicyStatement[] {
  const parameterArns = [...input.ownParameterArns, input.caParameterArn];
  const read: PolicyStatement = { Sid: "ReadOwnTlsParameters", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: parameterArns };
  if (input.kmsKeyArn === undefined) return [read];
  const decrypt: PolicyStatement = {
    Sid: "DecryptOwnTlsParameters",
    Effect: "Allow",
    Action: ["kms:Decrypt"],
    Resource: [input.kmsKeyArn],
    Condition: {
      StringEquals: {
        "kms:ViaService": `ssm.${input.region}.amazonaws.com`,
        "kms:EncryptionContext:PARAMETER_ARN": parameterArns,
      },
    },
  };
  return [read, decrypt];
}

/**
 * What the boot reads from S3, with `aws s3 cp` (`s3:GetObject`): the bootstrap its own bundle,
 * never another member's (bundles hold no secret, but one member's files are no business of
 * another's role), and with an `s3://` `etcdDownloadBaseUrl` the boot script exactly the one
 * release tarball. Bundles are SSE-S3 (member-bundle-object.ts): no KMS grant is needed; a mirror
 * encrypted with a KMS key of its own needs that key's policy to allow the member roles.
 */
function bootStatements(input: MemberPolicyInput): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadOwnBundle",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [s3ObjectArn(input.backupBucketArn, `${memberBundlePrefix(input.clusterName, input.memberName)}*`)],
    },
  ];
  if (input.etcdReleaseUrl.startsWith("s3://")) {
    const { bucket, key } = parseS3Uri(input.etcdReleaseUrl);
    const mirrorBucketArn = `arn:${partitionOf(input.backupBucketArn)}:s3:::${bucket}`;
    statements.push({ Sid: "ReadEtcdReleaseFromMirror", Effect: "Allow", Action: ["s3:GetObject"], Resource: [s3ObjectArn(mirrorBucketArn, key)] });
  }
  return statements;
}

/**
 * The backup and restore permissions. The backup script uploads with `aws s3 cp`: `s3:PutObject`
 * (multipart uploads of large snapshots included) and `s3:AbortMultipartUpload` to clean up a failed
 * one; the restore script downloads and reads the metadata of one object (`s3:GetObject` covers
 * GetObject and HeadObject). No `s3:ListBucket`: neither script lists (a missing restore object then
 * reads as 403, not 404). With SSE-KMS, S3 calls KMS as the member: uploads need
 * `kms:GenerateDataKey`, completing a multipart upload or reading `kms:Decrypt`; S3 Bucket Keys
 * (backup-bucket.ts) make the encryption context the bucket's ARN (`aws:s3:arn`), an object's ARN
 * without them.
 */
function backupStatements(input: MemberPolicyInput): PolicyStatement[] {
  const snapshotObjects = s3ObjectArn(input.backupBucketArn, `${snapshotKeyPrefix(input.clusterName)}*`);
  const statements: PolicyStatement[] = [
    { Sid: "WriteEtcdSnapshots", Effect: "Allow", Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: [snapshotObjects] },
  ];
  const s3Contexts = [input.backupBucketArn, snapshotObjects];
  if (input.restoreSnapshotUri !== undefined) {
    const { bucket, key } = parseS3Uri(input.restoreSnapshotUri);
    const restoreBucketArn = `arn:${partitionOf(input.backupBucketArn)}:s3:::${bucket}`;
    const restoreObject = s3ObjectArn(restoreBucketArn, key);
    statements.push({ Sid: "ReadRestoreSnapshot", Effect: "Allow", Action: ["s3:GetObject"], Resource: [restoreObject] });
    s3Contexts.push(restoreBucketArn, restoreObject);
  }
  if (input.kmsKeyArn !== undefined) {
    statements.push({
      Sid: "UseKeyForBackupObjects",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: [input.kmsKeyArn],
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${input.region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [...new Set(s3Contexts)] },
      },
    });
  }
  return statements;
}

/**
 * `PutMetricData` into the cluster's own namespace only (etcd/member-metrics.ts: BackupSucceeded,
 * CertificateSecondsToExpiry). The action has no resource ARN (Service Authorization Reference,
 * Amazon CloudWatch: Resource `*`); the `cloudwatch:namespace` condition key scopes it, so one
 * cluster's members cannot write another cluster's BackupSucceeded and silence its freshness alarm.
 */
function metricsStatement(input: MemberPolicyInput): PolicyStatement {
  return {
    Sid: "PublishClusterMetrics",
    Effect: "Allow",
    Action: ["cloudwatch:PutMetricData"],
    Resource: ["*"],
    Condition: { StringEquals: { "cloudwatch:namespace": cloudWatchNamespace(input.clusterName) } },
  };
}

/** The member role's one policy: every permission the member has. */
export function memberRolePolicy(input: MemberPolicyInput): PolicyDocument {
  return policyDocument([SSM_AGENT_STATEMENT, ...secretReadStatements(input), ...bootStatements(input), ...backupStatements(input), metricsStatement(input)]);
}

/**
 * The backup bucket's own policy: every request over plain HTTP is denied, whoever makes it, the
 * members' snapshot uploads and bundle downloads included.
 */
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
