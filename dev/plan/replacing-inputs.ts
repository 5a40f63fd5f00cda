/**
 * Which input changes make the provider replace a resource rather than update it in place, for
 * every resource type this program declares. Offline there is no provider to ask, so this is the
 * providers' schema restated: the AWS provider bridges the Terraform AWS provider, whose `ForceNew`
 * attributes are these (an instance type or a volume's size changes in place, an AMI or an AZ
 * cannot); the tls provider replaces a key or certificate on any change of what it is made from;
 * `command:local:Command` replaces on `triggers`. Paths are input property paths, dots for nesting.
 * A type missing here is reported by the plan diff and fails a test, so a new type gets an entry.
 */
import type { RecordedResource } from "../mock-runtime/run-record";

/** Every input of the resource replaces it, except these. */
interface AllInputsExcept {
  readonly allExcept: readonly string[];
}

type ReplacingInputs = readonly string[] | AllInputsExcept;

const BUCKET_SETTING = ["bucket", "expectedBucketOwner"];

export const REPLACING_INPUTS: Readonly<Record<string, ReplacingInputs>> = {
  "aws:ec2/instance:Instance": [
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
  "aws:ebs/volume:Volume": ["availabilityZone", "encrypted", "kmsKeyId", "snapshotId", "outpostArn"],
  "aws:ec2/networkInterface:NetworkInterface": ["subnetId", "interfaceType"],
  "aws:ec2/volumeAttachment:VolumeAttachment": ["deviceName", "instanceId", "volumeId"],
  "aws:ec2/securityGroup:SecurityGroup": ["name", "namePrefix", "description", "vpcId"],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["securityGroupId"],
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ["securityGroupId"],
  "aws:iam/role:Role": ["name", "namePrefix", "path"],
  "aws:iam/instanceProfile:InstanceProfile": ["name", "namePrefix", "path"],
  "aws:iam/rolePolicy:RolePolicy": ["name", "namePrefix", "role"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"],
  "aws:s3/bucketObjectv2:BucketObjectv2": ["bucket", "key"],
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": BUCKET_SETTING,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ["bucket"],
  "aws:s3/bucketPolicy:BucketPolicy": ["bucket"],
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["bucket"],
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": BUCKET_SETTING,
  "aws:s3/bucketVersioning:BucketVersioning": BUCKET_SETTING,
  "aws:ssm/parameter:Parameter": ["name"],
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": [],
  // aws_cloudwatch_metric_alarm: alarm_name is ForceNew; aws_sns_topic: name, name_prefix, fifo_topic.
  "aws:cloudwatch/metricAlarm:MetricAlarm": ["name"],
  "aws:sns/topic:Topic": ["name", "namePrefix", "fifoTopic"],
  "command:local:Command": ["triggers"],
  "tls:index/privateKey:PrivateKey": { allExcept: [] },
  "tls:index/certRequest:CertRequest": { allExcept: [] },
  "tls:index/locallySignedCert:LocallySignedCert": { allExcept: ["earlyRenewalHours"] },
  "tls:index/selfSignedCert:SelfSignedCert": { allExcept: ["earlyRenewalHours"] },
};

/**
 * The input paths whose change replaces this resource (its `replaceOnChanges` option included), or
 * undefined when the type has no entry. `userDataBase64` replaces an instance only with
 * `userDataReplaceOnChange: true`; otherwise AWS stops and starts the instance with it.
 */
export function replacingInputPaths(resource: RecordedResource, otherInputs: readonly string[]): string[] | undefined {
  const entry = REPLACING_INPUTS[resource.type];
  if (entry === undefined) return undefined;
  const inputs = new Set([...Object.keys(resource.inputs), ...otherInputs]);
  const paths = "allExcept" in entry ? [...inputs].filter((input) => !entry.allExcept.includes(input)) : [...entry];
  if (resource.inputs.userDataReplaceOnChange === true) paths.push("userData", "userDataBase64");
  return [...paths, ...resource.options.replaceOnChanges];
}
