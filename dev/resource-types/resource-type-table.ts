/**
 * Every resource type the program declares, once, with what the harness needs to know about it:
 * whether creating it sends requests to an AWS API (test/aws-api maps each such type's request
 * shape, test/support/resource-requests.ts the deployer's authorization requests; both maps are
 * typed by this table's AWS types, so tsc refuses a missing entry) and which input changes replace
 * it (dev/plan). test/component/resource-type-table.test.ts fails when a stack declares a type
 * without a row, or a row names a type no stack declares.
 *
 * Replacing inputs are the providers' schema restated, since offline there is no provider to ask:
 * the AWS provider bridges the Terraform AWS provider, whose `ForceNew` attributes these are (an
 * instance type or a volume's size changes in place, an AMI or an AZ cannot); the tls provider
 * replaces a key or certificate on any change of what it is made from; `command:local:Command`
 * replaces on `triggers`. Paths are input property paths, dots for nesting.
 */

/** Every input of the resource replaces it, except these. */
export interface AllInputsExcept {
  readonly allExcept: readonly string[];
}

export type ReplacingInputs = readonly string[] | AllInputsExcept;

/** What the harness knows about one resource type. */
export interface ResourceTypeRow {
  /** "aws-api" when the provider calls an AWS API to create, change and delete it; otherwise why it does not. */
  readonly awsRequests: "aws-api" | { readonly none: string };
  /** The input changes that make the provider replace it rather than update it in place. */
  readonly replacingInputs: ReplacingInputs;
}

const BUCKET_SETTING = ["bucket", "expectedBucketOwner"];
const TLS_LOCAL = { none: "generated locally by the tls provider" };

export const RESOURCE_TYPES = {
  "aws:ec2/instance:Instance": {
    awsRequests: "aws-api",
    replacingInputs: [
      "ami",
      "availabilityZone",
      "subnetId",
      "privateIp",
      "keyName",
      "placementGroup",
      "tenancy",
      "hostId",
      "primaryNetworkInterface.networkInterfaceId",
      "rootBlockDevice.encrypted",
      "rootBlockDevice.kmsKeyId",
    ],
  },
  "aws:ebs/volume:Volume": { awsRequests: "aws-api", replacingInputs: ["availabilityZone", "encrypted", "kmsKeyId", "snapshotId", "outpostArn"] },
  "aws:ec2/networkInterface:NetworkInterface": { awsRequests: "aws-api", replacingInputs: ["subnetId", "interfaceType"] },
  "aws:ec2/volumeAttachment:VolumeAttachment": { awsRequests: "aws-api", replacingInputs: ["deviceName", "instanceId", "volumeId"] },
  "aws:ec2/securityGroup:SecurityGroup": { awsRequests: "aws-api", replacingInputs: ["name", "namePrefix", "description", "vpcId"] },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { awsRequests: "aws-api", replacingInputs: ["securityGroupId"] },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { awsRequests: "aws-api", replacingInputs: ["securityGroupId"] },
  "aws:iam/role:Role": { awsRequests: "aws-api", replacingInputs: ["name", "namePrefix", "path"] },
  "aws:iam/instanceProfile:InstanceProfile": { awsRequests: "aws-api", replacingInputs: ["name", "namePrefix", "path"] },
  "aws:iam/rolePolicy:RolePolicy": { awsRequests: "aws-api", replacingInputs: ["name", "namePrefix", "role"] },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { awsRequests: "aws-api", replacingInputs: ["role", "policyArn"] },
  "aws:s3/bucket:Bucket": { awsRequests: "aws-api", replacingInputs: ["bucket", "bucketPrefix", "objectLockEnabled"] },
  "aws:s3/bucketObjectv2:BucketObjectv2": { awsRequests: "aws-api", replacingInputs: ["bucket", "key"] },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { awsRequests: "aws-api", replacingInputs: BUCKET_SETTING },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { awsRequests: "aws-api", replacingInputs: ["bucket"] },
  "aws:s3/bucketPolicy:BucketPolicy": { awsRequests: "aws-api", replacingInputs: ["bucket"] },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { awsRequests: "aws-api", replacingInputs: ["bucket"] },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { awsRequests: "aws-api", replacingInputs: BUCKET_SETTING },
  "aws:s3/bucketVersioning:BucketVersioning": { awsRequests: "aws-api", replacingInputs: BUCKET_SETTING },
  "aws:ssm/parameter:Parameter": { awsRequests: "aws-api", replacingInputs: ["name"] },
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": { awsRequests: "aws-api", replacingInputs: [] },
  // aws_cloudwatch_metric_alarm: alarm_name is ForceNew; aws_sns_topic: name, name_prefix, fifo_topic.
  "aws:cloudwatch/metricAlarm:MetricAlarm": { awsRequests: "aws-api", replacingInputs: ["name"] },
  "aws:sns/topic:Topic": { awsRequests: "aws-api", replacingInputs: ["name", "namePrefix", "fifoTopic"] },
  "command:local:Command": {
    awsRequests: { none: "runs the AWS CLI on the deployer (health gates, removals); the deployer policy tests check its calls" },
    replacingInputs: ["triggers"],
  },
  "tls:index/privateKey:PrivateKey": { awsRequests: TLS_LOCAL, replacingInputs: { allExcept: [] } },
  "tls:index/certRequest:CertRequest": { awsRequests: TLS_LOCAL, replacingInputs: { allExcept: [] } },
  "tls:index/locallySignedCert:LocallySignedCert": { awsRequests: TLS_LOCAL, replacingInputs: { allExcept: ["earlyRenewalHours"] } },
  "tls:index/selfSignedCert:SelfSignedCert": { awsRequests: TLS_LOCAL, replacingInputs: { allExcept: ["earlyRenewalHours"] } },
} as const satisfies Readonly<Record<string, ResourceTypeRow>>;

export type ResourceType = keyof typeof RESOURCE_TYPES;

/** The types whose provider calls an AWS API: test/aws-api and the deployer requests map each of them. */
export type AwsApiResourceType = {
  [Type in ResourceType]: (typeof RESOURCE_TYPES)[Type]["awsRequests"] extends "aws-api" ? Type : never;
}[ResourceType];

/** The row of `type`, or undefined for a type the table does not know. */
export function resourceTypeRow(type: string): ResourceTypeRow | undefined {
  return Object.hasOwn(RESOURCE_TYPES, type) ? RESOURCE_TYPES[type as ResourceType] : undefined;
}

/** Whether the provider of `type` calls an AWS API for it (false for an unknown type too). */
export function isAwsApiType(type: string): type is AwsApiResourceType {
  return resourceTypeRow(type)?.awsRequests === "aws-api";
}
