/**
 * The deployer's IAM policy: what `pulumi up` and `pulumi destroy` of one cluster need, the
 * health gates and the member removals included, scoped to that cluster wherever AWS can scope an
 * action (pure: plain strings in, the document out; deployer-policy/<stack>.json and the stack
 * output `deployerPolicy` are this function's output). The cluster's resources are found by:
 * - the `etcd:cluster` tag for EC2 (instances, volumes, ENIs, the security group): requested on
 *   create (`aws:RequestTag`), carried afterwards (`aws:ResourceTag`), and for Run Command on the
 *   target instance (`ssm:resourceTag`);
 * - names for IAM (`<cluster>-member-*`, `<cluster>-volume-snapshots-*`), S3 (`<cluster>-backups-*`)
 *   and SSM parameters (`/etcd/<cluster>/*`): the provider names them from the resource names.
 * What AWS cannot scope is on `*`, and read-only: EC2's Describe calls, ssm:DescribeParameters,
 * ssm:GetCommandInvocation, dlm:GetLifecyclePolicies; DLM's policy actions take no tag condition,
 * so they are on every lifecycle policy of the account and region.
 */
import type { ClusterConfig } from "../config/types";
import { clusterBundlesPrefix } from "../member/member-bundle";
import { clusterParameterPath } from "../member/ssm-parameters";
import { partitionOfRegion } from "./arn";
import { policyDocument, type PolicyDocument, type PolicyStatement } from "./policy-document";
import { backupBucketNamePattern, DLM_SERVICE_POLICY_NAME, memberRoleNamePattern, snapshotRoleNamePattern } from "./resource-names";
import { TAG_KEYS } from "./tags";

/** What the deployer's policy depends on: the stack's settings, nothing computed by AWS. */
export interface DeployerPolicyInput {
  /** `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
  /** The stack's `aws:region`. */
  readonly region: string;
  /** The account the cluster lives in; `*` (any) when the policy is written before it is known. */
  readonly accountId: string;
  /** ClusterConfig.clusterName. */
  readonly clusterName: string;
  /** ClusterConfig.kmsKeyId: the key of volumes and parameters; absent: AWS-managed keys. */
  readonly kmsKeyArn?: string;
  /** ClusterConfig.protectData: when false, `pulumi destroy` empties the bucket (forceDestroy). */
  readonly protectData: boolean;
}

function statement(Sid: string, Action: string[], Resource: string[], Condition?: PolicyStatement["Condition"]): PolicyStatement {
  return Condition === undefined ? { Sid, Effect: "Allow", Action, Resource } : { Sid, Effect: "Allow", Action, Resource, Condition };
}

function ec2Statements(input: DeployerPolicyInput): PolicyStatement[] {
  const ec2 = (resource: string) => `arn:${input.partition}:ec2:${input.region}:${input.accountId}:${resource}`;
  const clusterTag = TAG_KEYS.cluster;
  const owned = [ec2("instance/*"), ec2("volume/*"), ec2("network-interface/*"), ec2("security-group/*")];
  return [
    // Launching uses the subnet, the AMI (AWS-owned: no account in its ARN), the group and the
    // member's existing ENI, none of which the launch changes.
    statement(
      "LaunchInNetwork",
      ["ec2:RunInstances"],
      [ec2("subnet/*"), `arn:${input.partition}:ec2:${input.region}::image/*`, ec2("security-group/*"), ec2("network-interface/*")],
    ),
    statement("EniInNetwork", ["ec2:CreateNetworkInterface"], [ec2("subnet/*"), ec2("security-group/*")]),
    statement("GroupInVpc", ["ec2:CreateSecurityGroup"], [ec2("vpc/*")]),
    statement("CreateTagged", ["ec2:RunInstances", "ec2:CreateVolume", "ec2:CreateNetworkInterface", "ec2:CreateSecurityGroup"], owned, {
      StringEquals: { [`aws:RequestTag/${clusterTag}`]: input.clusterName },
    }),
    // Any resource type, but only as part of the creations above (AWS's own pattern).
    statement("TagOnCreate", ["ec2:CreateTags"], [ec2("*")], {
      StringEquals: {
        "ec2:CreateAction": [
          "RunInstances",
          "CreateVolume",
          "CreateNetworkInterface",
          "CreateSecurityGroup",
          "AuthorizeSecurityGroupIngress",
          "AuthorizeSecurityGroupEgress",
        ],
      },
    }),
    statement(
      "ChangeTagged",
      [
        "ec2:TerminateInstances",
        "ec2:StopInstances",
        "ec2:StartInstances",
        "ec2:ModifyInstanceAttribute",
        "ec2:ModifyInstanceMetadataOptions",
        "ec2:AttachVolume",
        "ec2:DetachVolume",
        "ec2:ModifyVolume",
        "ec2:DeleteVolume",
        "ec2:ModifyNetworkInterfaceAttribute",
        "ec2:DeleteNetworkInterface",
        // Exactly the Ingress and Egress variants.
        "ec2:AuthorizeSecurityGroup*",
        "ec2:RevokeSecurityGroup*",
        "ec2:ModifySecurityGroupRules",
        "ec2:DeleteSecurityGroup",
        "ec2:CreateTags",
        "ec2:DeleteTags",
      ],
      owned,
      { StringEquals: { [`aws:ResourceTag/${clusterTag}`]: input.clusterName } },
    ),
    // A rule is its own resource, created in (and scoped by) the cluster-tagged group above.
    statement("GroupRules", ["ec2:AuthorizeSecurityGroup*", "ec2:ModifySecurityGroupRules"], [ec2("security-group-rule/*")]),
  ];
}

function iamStatements(input: DeployerPolicyInput): PolicyStatement[] {
  const iam = (resource: string) => `arn:${input.partition}:iam::${input.accountId}:${resource}`;
  const memberRoles = iam(`role/${memberRoleNamePattern(input.clusterName)}`);
  const snapshotRole = iam(`role/${snapshotRoleNamePattern(input.clusterName)}`);
  return [
    statement(
      "Roles",
      [
        "iam:CreateRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:DeleteRole",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:ListRoleTags",
        "iam:PutRolePolicy",
        "iam:GetRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:DetachRolePolicy",
        "iam:ListInstanceProfilesForRole",
      ],
      [memberRoles, snapshotRole],
    ),
    statement("DlmRolePolicy", ["iam:AttachRolePolicy"], [snapshotRole], {
      ArnEquals: { "iam:PolicyARN": `arn:${input.partition}:iam::aws:policy/${DLM_SERVICE_POLICY_NAME}` },
    }),
    statement(
      "Profiles",
      [
        "iam:CreateInstanceProfile",
        "iam:GetInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
        "iam:ListInstanceProfileTags",
      ],
      [iam(`instance-profile/${memberRoleNamePattern(input.clusterName)}`)],
    ),
    statement("PassToEc2", ["iam:PassRole"], [memberRoles], { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } }),
    statement("PassToDlm", ["iam:PassRole"], [snapshotRole], { StringEquals: { "iam:PassedToService": "dlm.amazonaws.com" } }),
  ];
}

function ssmStatements(input: DeployerPolicyInput): PolicyStatement[] {
  const ssm = (resource: string, account = input.accountId) => `arn:${input.partition}:ssm:${input.region}:${account}:${resource}`;
  return [
    statement(
      "Parameters",
      [
        "ssm:PutParameter",
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:DeleteParameter",
        "ssm:AddTagsToResource",
        "ssm:RemoveTagsFromResource",
        "ssm:ListTagsForResource",
      ],
      [ssm(`parameter${clusterParameterPath(input.clusterName)}/*`)],
    ),
    // The latest AMI's public parameter (image.ts), owned by AWS (an empty account field).
    statement("AmiParameters", ["ssm:GetParameter"], [ssm("parameter/aws/service/*", "*")]),
    // Health gates, pre-disruption gates and removals: AWS-RunShellScript, only on the cluster's instances.
    statement("RunOnTagged", ["ssm:SendCommand"], [`arn:${input.partition}:ec2:${input.region}:${input.accountId}:instance/*`], {
      StringEquals: { [`ssm:resourceTag/${TAG_KEYS.cluster}`]: input.clusterName },
    }),
    statement("RunShellScript", ["ssm:SendCommand"], [ssm("document/AWS-RunShellScript", "*")]),
  ];
}

function s3Statements(input: DeployerPolicyInput): PolicyStatement[] {
  const bucket = `arn:${input.partition}:s3:::${backupBucketNamePattern(input.clusterName)}`;
  const statements = [
    statement(
      "Bucket",
      [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        // ListBucketVersions too: deleting a member bundle in the versioned bucket deletes its versions.
        "s3:ListBucket*",
        // On the bucket's ARN: every bucket-level read the provider makes; on the member bundles
        // (member-bundle-object.ts, no secret in them) the object reads.
        "s3:Get*",
        // Tagging, policy, versioning, ownership controls, public access block: this bucket's settings
        // (one pattern, so bucket and member bundles fit a managed policy's 6,144 characters).
        "s3:PutBucket*",
        "s3:DeleteBucketPolicy",
        "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
        // The member bundles, written, and deleted with their versions when a rollout replaces them.
        "s3:PutObject",
        "s3:DeleteObject*",
      ],
      // One statement for bucket and bundles: a customer managed policy holds 6,144 characters.
      [bucket, `${bucket}/${clusterBundlesPrefix(input.clusterName)}*`],
    ),
  ];
  if (!input.protectData) {
    // forceDestroy: `pulumi destroy` deletes every object version before the bucket.
    statements.push(statement("EmptyBucket", ["s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion"], [bucket, `${bucket}/*`]));
  }
  return statements;
}

function dlmStatements(input: DeployerPolicyInput): PolicyStatement[] {
  const policies = `arn:${input.partition}:dlm:${input.region}:${input.accountId}:policy/*`;
  return [
    // CreateLifecyclePolicy names no resource (the policy does not exist yet): `*`, tag-conditioned.
    statement("CreateDlmTagged", ["dlm:CreateLifecyclePolicy"], ["*"], {
      StringEquals: { [`aws:RequestTag/${TAG_KEYS.cluster}`]: input.clusterName },
    }),
    statement(
      "DlmPolicies",
      ["dlm:GetLifecyclePolicy", "dlm:UpdateLifecyclePolicy", "dlm:DeleteLifecyclePolicy", "dlm:TagResource", "dlm:UntagResource", "dlm:ListTagsForResource"],
      [policies],
    ),
  ];
}

/**
 * With a customer key, EC2 (encrypted volumes) and SSM (SecureString parameters) use it as the
 * deployer: EBS needs a grant and data keys through EC2, SSM encrypts and decrypts through SSM
 * with the parameter's ARN as encryption context.
 */
function kmsStatements(input: DeployerPolicyInput): PolicyStatement[] {
  if (input.kmsKeyArn === undefined) return [];
  return [
    statement("KeyForVolumes", ["kms:CreateGrant", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:ReEncrypt*", "kms:DescribeKey"], [input.kmsKeyArn], {
      StringEquals: { "kms:ViaService": `ec2.${input.region}.amazonaws.com` },
    }),
    statement("KeyForParameters", ["kms:Encrypt", "kms:Decrypt"], [input.kmsKeyArn], {
      StringEquals: { "kms:ViaService": `ssm.${input.region}.amazonaws.com` },
      StringLike: {
        "kms:EncryptionContext:PARAMETER_ARN": `arn:${input.partition}:ssm:${input.region}:${input.accountId}:parameter${clusterParameterPath(input.clusterName)}/*`,
      },
    }),
  ];
}

/**
 * The CloudWatch alarms (`alarm:<cluster>-…`) and their SNS topic (`alarm-<cluster>-topic`), by
 * name, in one ARN pattern (the policy must fit a managed policy's 6,144 characters): `?` is the
 * `:` of an alarm's ARN or the `-` of the topic's name. Every action of either service, but only
 * there: on an alarm that is creating, reading, tagging and deleting it (and setting its state); on
 * the topic also publishing and subscribing. Metric data, dashboards and other topics stay out.
 */
function alarmStatements(input: DeployerPolicyInput): PolicyStatement[] {
  return [statement("Alarms", ["cloudwatch:*", "sns:*"], [`arn:${input.partition}:*:${input.region}:${input.accountId}:alarm?${input.clusterName}-*`])];
}

/** Read-only calls AWS authorizes only on `*`. */
const UNSCOPABLE_READS: PolicyStatement = statement(
  "UnscopableReads",
  ["ec2:Describe*", "ssm:DescribeParameters", "ssm:GetCommandInvocation", "dlm:GetLifecyclePolicies"],
  ["*"],
);

/** The deployer's policy for one cluster. */
export function deployerPolicy(input: DeployerPolicyInput): PolicyDocument {
  return policyDocument([
    UNSCOPABLE_READS,
    ...ec2Statements(input),
    ...iamStatements(input),
    ...ssmStatements(input),
    ...s3Statements(input),
    ...dlmStatements(input),
    ...kmsStatements(input),
    ...alarmStatements(input),
  ]);
}

/**
 * The deployer's policy for a stack's cluster. The account is `*`: the policy is attached in the
 * cluster's account, and the file is written before any account is known.
 */
export function stackDeployerPolicy(config: ClusterConfig, region: string): PolicyDocument {
  return deployerPolicy({
    partition: partitionOfRegion(region),
    region,
    accountId: "*",
    clusterName: config.clusterName,
    kmsKeyArn: config.kmsKeyId,
    protectData: config.protectData,
  });
}
