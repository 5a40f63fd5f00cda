/**
 * The authorization requests `pulumi up` and `pulumi destroy` make for each resource a program
 * run declares: creating it (with the tags it is declared with, as `aws:RequestTag`), changing and
 * deleting it (with those tags as `aws:ResourceTag`), and passing roles (Service Authorization
 * Reference: actions, resource types, condition keys). The values come from the run. Every AWS API
 * type of dev/resource-types/resource-type-table.ts has a case (tsc checks the switch is exhaustive);
 * a type without a row throws, so a new resource type cannot pass unexamined.
 */
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { isRecordedObject, recordedText } from "../../dev/mock-runtime/recorded-value";
import { isAwsApiType, resourceTypeRow, type AwsApiResourceType } from "../../dev/resource-types/resource-type-table";
import type { AwsRequest } from "./iam-evaluation";
import type { KmsKey } from "./kms-key-policies";

/** Where the run's resources live. */
export interface RunAccount {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The stack's `kmsKeyId` and its key policy, when set: the key's use is requested too. */
  readonly kmsKey?: KmsKey;
}

function tagsOf(resource: RecordedResource): Record<string, string> {
  const tags = resource.inputs.tags;
  return isRecordedObject(tags) ? Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, recordedText(value)])) : {};
}

function primaryEniOf(instance: RecordedResource): unknown {
  const primary = instance.inputs.primaryNetworkInterface;
  return isRecordedObject(primary) ? primary.networkInterfaceId : undefined;
}

function tagContext(prefix: "aws:RequestTag" | "aws:ResourceTag", tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [`${prefix}/${key}`, value]));
}

/** Every request the deployer makes for the run's resources, each labelled with what it is for. */
export function resourceRequests(run: ProgramRun, account: RunAccount): { label: string; request: AwsRequest }[] {
  const { partition, region, accountId } = account;
  const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:${accountId}:${resource}`;
  const roleArn = (name: string) => `arn:${partition}:iam::${accountId}:role/${name}`;
  const byId = new Map(run.resources.filter((resource) => resource.id !== undefined).map((resource) => [resource.id!, resource]));
  const tagsOfId = (id: unknown) => {
    const resource = byId.get(String(id));
    if (resource === undefined) throw new Error(`no resource with ID ${String(id)} in the run`);
    return tagsOf(resource);
  };
  const bucketArn = (name: unknown) => `arn:${partition}:s3:::${String(name)}`;
  const s3Settings = {
    "aws:s3/bucketVersioning:BucketVersioning": "s3:PutBucketVersioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "s3:PutEncryptionConfiguration",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "s3:PutBucketOwnershipControls",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "aws:s3/bucketPolicy:BucketPolicy": "s3:PutBucketPolicy",
  } as const;
  const kmsVia = (service: string, action: string, extra: Record<string, string> = {}): AwsRequest[] =>
    account.kmsKey === undefined
      ? []
      : [
          {
            action,
            resource: account.kmsKey.arn,
            resourcePolicy: account.kmsKey.policy,
            context: { "kms:ViaService": `${service}.${region}.amazonaws.com`, ...extra },
          },
        ];

  const requestsOf = (resource: RecordedResource, type: AwsApiResourceType): AwsRequest[] => {
    const tags = tagsOf(resource);
    const state = resource.state;
    // No default: a type without a case fails tsc ("Function lacks ending return statement").
    switch (type) {
      case "aws:iam/role:Role":
        return ["iam:CreateRole", "iam:GetRole", "iam:TagRole", "iam:DeleteRole"].map((action) => ({ action, resource: recordedText(state.arn) }));
      case "aws:iam/rolePolicy:RolePolicy":
        return ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"].map((action) => ({
          action,
          resource: roleArn(recordedText(resource.inputs.role)),
        }));
      case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
        return ["iam:AttachRolePolicy", "iam:DetachRolePolicy"].map((action) => ({
          action,
          resource: roleArn(recordedText(resource.inputs.role)),
          context: { "iam:PolicyARN": recordedText(resource.inputs.policyArn) },
        }));
      case "aws:iam/instanceProfile:InstanceProfile":
        return [
          ...["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"].map((action) => ({
            action,
            resource: recordedText(state.arn),
          })),
          // RunInstances with this profile passes its role to EC2.
          { action: "iam:PassRole", resource: roleArn(recordedText(resource.inputs.role)), context: { "iam:PassedToService": "ec2.amazonaws.com" } },
        ];
      case "aws:ssm/parameter:Parameter":
        return [
          ...["ssm:PutParameter", "ssm:GetParameter", "ssm:AddTagsToResource", "ssm:DeleteParameter"].map((action) => ({
            action,
            resource: recordedText(state.arn),
          })),
          ...["kms:Encrypt", "kms:Decrypt"].flatMap((action) => kmsVia("ssm", action, { "kms:EncryptionContext:PARAMETER_ARN": recordedText(state.arn) })),
        ];
      case "aws:s3/bucket:Bucket":
        return ["s3:CreateBucket", "s3:PutBucketTagging", "s3:GetBucketTagging", "s3:GetBucketAcl", "s3:ListBucket", "s3:DeleteBucket"].map((action) => ({
          action,
          resource: recordedText(state.arn),
          resourceAccount: accountId,
        }));
      case "aws:s3/bucketObjectv2:BucketObjectv2": {
        // The provider puts, reads back and deletes the object; in a versioned bucket it deletes every version.
        const bucket = bucketArn(resource.inputs.bucket);
        return [
          ...["s3:PutObject", "s3:GetObject", "s3:GetObjectTagging", "s3:DeleteObject", "s3:DeleteObjectVersion"].map((action) => ({
            action,
            resource: `${bucket}/${recordedText(resource.inputs.key)}`,
            resourceAccount: accountId,
          })),
          { action: "s3:ListBucketVersions", resource: bucket, resourceAccount: accountId },
        ];
      }
      case "aws:ec2/instance:Instance":
        return [
          { action: "ec2:RunInstances", resource: ec2("instance/*"), context: tagContext("aws:RequestTag", tags) },
          { action: "ec2:RunInstances", resource: ec2("volume/*"), context: tagContext("aws:RequestTag", tags) },
          { action: "ec2:RunInstances", resource: `arn:${partition}:ec2:${region}::image/${recordedText(resource.inputs.ami)}` },
          { action: "ec2:RunInstances", resource: ec2(`network-interface/${String(primaryEniOf(resource))}`) },
          { action: "ec2:CreateTags", resource: ec2("instance/*"), context: { "ec2:CreateAction": "RunInstances" } },
          ...["ec2:StopInstances", "ec2:StartInstances", "ec2:ModifyInstanceAttribute", "ec2:TerminateInstances"].map((action) => ({
            action,
            resource: recordedText(state.arn),
            context: tagContext("aws:ResourceTag", tags),
          })),
        ];
      case "aws:ebs/volume:Volume":
        return [
          { action: "ec2:CreateVolume", resource: ec2("volume/*"), context: tagContext("aws:RequestTag", tags) },
          { action: "ec2:CreateTags", resource: ec2("volume/*"), context: { "ec2:CreateAction": "CreateVolume" } },
          ...["ec2:ModifyVolume", "ec2:DeleteVolume"].map((action) => ({ action, resource: recordedText(state.arn), context: tagContext("aws:ResourceTag", tags) })),
          // EBS creates a grant for the volume (an AWS resource) and data keys, through EC2.
          ...kmsVia("ec2", "kms:CreateGrant", { "kms:GrantIsForAWSResource": "true" }),
          ...["kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt"].flatMap((action) => kmsVia("ec2", action)),
        ];
      case "aws:ec2/volumeAttachment:VolumeAttachment":
        return ["ec2:AttachVolume", "ec2:DetachVolume"].flatMap((action) => [
          {
            action,
            resource: ec2(`instance/${recordedText(resource.inputs.instanceId)}`),
            context: tagContext("aws:ResourceTag", tagsOfId(resource.inputs.instanceId)),
          },
          { action, resource: ec2(`volume/${recordedText(resource.inputs.volumeId)}`), context: tagContext("aws:ResourceTag", tagsOfId(resource.inputs.volumeId)) },
        ]);
      case "aws:ec2/networkInterface:NetworkInterface":
        return [
          { action: "ec2:CreateNetworkInterface", resource: ec2("network-interface/*"), context: tagContext("aws:RequestTag", tags) },
          { action: "ec2:CreateNetworkInterface", resource: ec2(`subnet/${recordedText(resource.inputs.subnetId)}`) },
          { action: "ec2:CreateTags", resource: ec2("network-interface/*"), context: { "ec2:CreateAction": "CreateNetworkInterface" } },
          ...["ec2:ModifyNetworkInterfaceAttribute", "ec2:DeleteNetworkInterface"].map((action) => ({
            action,
            resource: recordedText(state.arn),
            context: tagContext("aws:ResourceTag", tags),
          })),
        ];
      case "aws:ec2/securityGroup:SecurityGroup":
        return [
          { action: "ec2:CreateSecurityGroup", resource: ec2("security-group/*"), context: tagContext("aws:RequestTag", tags) },
          { action: "ec2:CreateSecurityGroup", resource: ec2(`vpc/${recordedText(resource.inputs.vpcId)}`) },
          ...["ec2:RevokeSecurityGroupEgress", "ec2:DeleteSecurityGroup"].map((action) => ({
            action,
            resource: recordedText(state.arn),
            context: tagContext("aws:ResourceTag", tags),
          })),
        ];
      case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
      case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        const direction = resource.type.includes("Ingress") ? "Ingress" : "Egress";
        const group = recordedText(resource.inputs.securityGroupId);
        const inGroup = { resource: ec2(`security-group/${group}`), context: tagContext("aws:ResourceTag", tagsOfId(group)) };
        return [
          { action: `ec2:AuthorizeSecurityGroup${direction}`, ...inGroup },
          { action: `ec2:AuthorizeSecurityGroup${direction}`, resource: ec2(`security-group-rule/${String(resource.id)}`) },
          {
            action: "ec2:CreateTags",
            resource: ec2(`security-group-rule/${String(resource.id)}`),
            context: { "ec2:CreateAction": `AuthorizeSecurityGroup${direction}` },
          },
          { action: `ec2:RevokeSecurityGroup${direction}`, ...inGroup },
        ];
      }
      case "aws:dlm/lifecyclePolicy:LifecyclePolicy":
        return [
          { action: "dlm:CreateLifecyclePolicy", resource: "*", context: tagContext("aws:RequestTag", tags) },
          ...["dlm:GetLifecyclePolicy", "dlm:UpdateLifecyclePolicy", "dlm:DeleteLifecyclePolicy"].map((action) => ({ action, resource: recordedText(state.arn) })),
          { action: "iam:PassRole", resource: recordedText(resource.inputs.executionRoleArn), context: { "iam:PassedToService": "dlm.amazonaws.com" } },
        ];
      case "aws:sns/topic:Topic":
        return ["sns:CreateTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:TagResource", "sns:ListTagsForResource", "sns:DeleteTopic"].map(
          (action) => ({
            action,
            resource: recordedText(state.arn),
          }),
        );
      case "aws:cloudwatch/metricAlarm:MetricAlarm":
        return [
          ...["cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:TagResource", "cloudwatch:ListTagsForResource", "cloudwatch:DeleteAlarms"].map(
            (action) => ({ action, resource: recordedText(state.arn) }),
          ),
        ];
      case "aws:s3/bucketVersioning:BucketVersioning":
      case "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
      case "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
      case "aws:s3/bucketOwnershipControls:BucketOwnershipControls":
      case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
      case "aws:s3/bucketPolicy:BucketPolicy":
        return [{ action: s3Settings[type], resource: bucketArn(resource.inputs.bucket), resourceAccount: accountId }];
    }
  };

  return run.resources
    .filter((resource) => resource.custom)
    .flatMap((resource) => {
      if (resourceTypeRow(resource.type) === undefined) throw new Error(`${resource.type} has no row in dev/resource-types/resource-type-table.ts`);
      if (!isAwsApiType(resource.type)) return [];
      return requestsOf(resource, resource.type).map((request) => ({ label: `${resource.type} ${resource.name}`, request }));
    });
}

/**
 * The requests behind the run's data-source lookups. A public parameter's ARN (`/aws/service/…`)
 * has an empty account field, which the evaluator refuses: the run's account stands in. The
 * instance data source reads the instance and, for its `userData` hash, the user data attribute
 * (terraform-provider-aws data source aws_instance).
 */
export function invokeRequests(run: ProgramRun, account: RunAccount): { label: string; request: AwsRequest }[] {
  return run.invokes.flatMap(({ token, inputs }): { label: string; request: AwsRequest }[] => {
    switch (token) {
      case "aws:ec2/getSubnet:getSubnet":
        return [{ label: token, request: { action: "ec2:DescribeSubnets", resource: "*" } }];
      case "aws:ec2/getAmi:getAmi":
        return [{ label: token, request: { action: "ec2:DescribeImages", resource: "*" } }];
      case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings":
        return [{ label: token, request: { action: "ec2:DescribeInstanceTypeOfferings", resource: "*" } }];
      case "aws:ec2/getInstances:getInstances":
        return [{ label: token, request: { action: "ec2:DescribeInstances", resource: "*" } }];
      case "aws:ec2/getInstance:getInstance":
        return ["ec2:DescribeInstances", "ec2:DescribeInstanceAttribute"].map((action) => ({ label: token, request: { action, resource: "*" } }));
      case "aws:ec2/getNetworkInterfaces:getNetworkInterfaces":
      case "aws:ec2/getNetworkInterface:getNetworkInterface":
        return [{ label: token, request: { action: "ec2:DescribeNetworkInterfaces", resource: "*" } }];
      case "aws:ebs/getEbsVolumes:getEbsVolumes":
      case "aws:ebs/getVolume:getVolume":
        return [{ label: token, request: { action: "ec2:DescribeVolumes", resource: "*" } }];
      case "aws:ssm/getParameter:getParameter":
        return [
          {
            label: token,
            request: { action: "ssm:GetParameter", resource: `arn:${account.partition}:ssm:${account.region}:${account.accountId}:parameter${String(inputs.name)}` },
          },
        ];
      default:
        throw new Error(`no deployer request known for invoke ${token}: teach test/support/resource-requests.ts`);
    }
  });
}
