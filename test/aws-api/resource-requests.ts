/**
 * What each resource type the program declares sends to AWS: the API calls the Pulumi AWS
 * provider (the Terraform AWS provider underneath) makes to create it, with the resource's inputs
 * in the API's member names. One mapping per AWS API type of dev/resource-types/resource-type-table.ts
 * (tsc refuses a missing one); an input a mapping does not read fails test/aws-api (see README,
 * "Adding a resource type").
 */
import type { RecordedResource } from "../../dev/mock-runtime/run-record";
import { isAwsApiType, type AwsApiResourceType } from "../../dev/resource-types/resource-type-table";
import { plainValue, InputReader } from "./input-reader";
import type { ApiRequest } from "./shape-check";

/** What a mapping gets: the inputs to read and what the provider computed (generated names). */
export interface MappedResource {
  readonly inputs: InputReader;
  /** The provider's state (inputs plus outputs), plain: names the provider generated live here. */
  readonly state: Readonly<Record<string, unknown>>;
  /** `aws:region` of the run. */
  readonly region: string;
}

type Mapping = (resource: MappedResource) => ApiRequest[];
type Tags = Record<string, string>;

const ec2Tags = (tags: unknown) => Object.entries((tags ?? {}) as Tags).map(([Key, Value]) => ({ Key, Value }));
const tagSpecification = (ResourceType: string, tags: unknown) => (tags === undefined ? [] : [{ ResourceType, Tags: ec2Tags(tags) }]);
const nameOf = (resource: MappedResource, key: string) => resource.inputs.value(key) ?? resource.state[key];
const call = (service: string, operation: string, input: Record<string, unknown>): ApiRequest => ({
  service,
  operation,
  input: Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)),
});

function securityGroupRule(direction: "Ingress" | "Egress"): Mapping {
  return ({ inputs }) => {
    const description = inputs.value("description");
    const cidr = inputs.value("cidrIpv4");
    const group = inputs.value("referencedSecurityGroupId");
    return [
      call("ec2", `AuthorizeSecurityGroup${direction}`, {
        GroupId: inputs.value("securityGroupId"),
        IpPermissions: [
          {
            IpProtocol: inputs.value("ipProtocol"),
            FromPort: inputs.value("fromPort"),
            ToPort: inputs.value("toPort"),
            IpRanges: cidr === undefined ? undefined : [{ CidrIp: cidr, Description: description }],
            UserIdGroupPairs: group === undefined ? undefined : [{ GroupId: group, Description: description }],
          },
        ],
        TagSpecifications: tagSpecification("security-group-rule", inputs.value("tags")),
      }),
    ];
  };
}

const MAPPINGS: Readonly<Record<AwsApiResourceType, Mapping>> = {
  "aws:ec2/securityGroup:SecurityGroup": (resource) => [
    call("ec2", "CreateSecurityGroup", {
      GroupName: nameOf(resource, "name"),
      Description: resource.inputs.value("description"),
      VpcId: resource.inputs.value("vpcId"),
      TagSpecifications: tagSpecification("security-group", resource.inputs.value("tags")),
    }),
  ],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": securityGroupRule("Ingress"),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": securityGroupRule("Egress"),
  "aws:ec2/networkInterface:NetworkInterface": ({ inputs }) => [
    call("ec2", "CreateNetworkInterface", {
      SubnetId: inputs.value("subnetId"),
      Description: inputs.value("description"),
      Groups: inputs.value("securityGroups"),
      PrivateIpAddress: inputs.value("privateIp"),
      TagSpecifications: tagSpecification("network-interface", inputs.value("tags")),
    }),
  ],
  "aws:ebs/volume:Volume": ({ inputs }) => [
    call("ec2", "CreateVolume", {
      AvailabilityZone: inputs.value("availabilityZone"),
      Size: inputs.value("size"),
      VolumeType: inputs.value("type"),
      Iops: inputs.value("iops"),
      Throughput: inputs.value("throughput"),
      Encrypted: inputs.value("encrypted"),
      KmsKeyId: inputs.value("kmsKeyId"),
      SnapshotId: inputs.value("snapshotId"),
      TagSpecifications: tagSpecification("volume", inputs.value("tags")),
    }),
  ],
  "aws:ec2/instance:Instance": ({ inputs }) => {
    inputs.providerOnly("userDataReplaceOnChange", "the provider replaces the instance when user data changes");
    const root = inputs.object("rootBlockDevice");
    const eni = inputs.object("primaryNetworkInterface");
    const metadata = inputs.object("metadataOptions");
    return [
      call("ec2", "RunInstances", {
        MinCount: 1,
        MaxCount: 1,
        ImageId: inputs.value("ami"),
        InstanceType: inputs.value("instanceType"),
        UserData: inputs.value("userDataBase64"),
        IamInstanceProfile: { Name: inputs.value("iamInstanceProfile") },
        NetworkInterfaces: eni && [
          {
            DeviceIndex: 0,
            NetworkInterfaceId: eni.value("networkInterfaceId"),
            DeleteOnTermination: eni.value("deleteOnTermination"),
          },
        ],
        MetadataOptions: metadata && {
          HttpEndpoint: metadata.value("httpEndpoint"),
          HttpTokens: metadata.value("httpTokens"),
          HttpPutResponseHopLimit: metadata.value("httpPutResponseHopLimit"),
        },
        BlockDeviceMappings: root && [
          {
            // The provider reads the root device name from the AMI; the model sets no rule on it.
            DeviceName: "/dev/xvda",
            Ebs: {
              VolumeType: root.value("volumeType"),
              VolumeSize: root.value("volumeSize"),
              Encrypted: root.value("encrypted"),
              KmsKeyId: root.value("kmsKeyId"),
              DeleteOnTermination: root.value("deleteOnTermination"),
            },
          },
        ],
        TagSpecifications: [...tagSpecification("instance", inputs.value("tags")), ...tagSpecification("volume", root?.value("tags"))],
      }),
    ];
  },
  "aws:ec2/volumeAttachment:VolumeAttachment": ({ inputs }) => {
    inputs.providerOnly("stopInstanceBeforeDetaching", "the provider calls StopInstances before DetachVolume");
    return [
      call("ec2", "AttachVolume", {
        Device: inputs.value("deviceName"),
        InstanceId: inputs.value("instanceId"),
        VolumeId: inputs.value("volumeId"),
      }),
    ];
  },
  "aws:iam/role:Role": (resource) => [
    call("iam", "CreateRole", {
      RoleName: nameOf(resource, "name"),
      Path: resource.inputs.value("path"),
      AssumeRolePolicyDocument: resource.inputs.value("assumeRolePolicy"),
      Description: resource.inputs.value("description"),
      Tags: ec2Tags(resource.inputs.value("tags")),
    }),
  ],
  "aws:iam/rolePolicy:RolePolicy": (resource) => [
    call("iam", "PutRolePolicy", {
      RoleName: resource.inputs.value("role"),
      PolicyName: nameOf(resource, "name"),
      PolicyDocument: resource.inputs.value("policy"),
    }),
  ],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ({ inputs }) => [
    call("iam", "AttachRolePolicy", { RoleName: inputs.value("role"), PolicyArn: inputs.value("policyArn") }),
  ],
  "aws:iam/instanceProfile:InstanceProfile": (resource) => {
    const name = nameOf(resource, "name");
    return [
      call("iam", "CreateInstanceProfile", {
        InstanceProfileName: name,
        Path: resource.inputs.value("path"),
        Tags: ec2Tags(resource.inputs.value("tags")),
      }),
      call("iam", "AddRoleToInstanceProfile", { InstanceProfileName: name, RoleName: resource.inputs.value("role") }),
    ];
  },
  "aws:ssm/parameter:Parameter": ({ inputs }) => [
    call("ssm", "PutParameter", {
      Name: inputs.value("name"),
      Description: inputs.value("description"),
      // `insecureValue` is the same request field, kept out of Pulumi's secrets (the member list).
      Value: inputs.value("value") ?? inputs.value("insecureValue"),
      Type: inputs.value("type"),
      KeyId: inputs.value("keyId"),
      Tier: inputs.value("tier"),
      Tags: ec2Tags(inputs.value("tags")),
    }),
  ],
  "aws:s3/bucket:Bucket": (resource) => {
    resource.inputs.providerOnly("forceDestroy", "the provider empties the bucket before DeleteBucket");
    const bucket = nameOf(resource, "bucket");
    const tags = resource.inputs.value("tags");
    return [
      call("s3", "CreateBucket", {
        Bucket: bucket,
        // us-east-1 takes no location constraint; every other region names itself.
        CreateBucketConfiguration: resource.region === "us-east-1" ? undefined : { LocationConstraint: resource.region },
      }),
      ...(tags === undefined ? [] : [call("s3", "PutBucketTagging", { Bucket: bucket, Tagging: { TagSet: ec2Tags(tags) } })]),
    ];
  },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ({ inputs }) => [
    call("s3", "PutBucketOwnershipControls", {
      Bucket: inputs.value("bucket"),
      OwnershipControls: { Rules: [{ ObjectOwnership: inputs.object("rule")?.value("objectOwnership") }] },
    }),
  ],
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ({ inputs }) => [
    call("s3", "PutPublicAccessBlock", {
      Bucket: inputs.value("bucket"),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: inputs.value("blockPublicAcls"),
        BlockPublicPolicy: inputs.value("blockPublicPolicy"),
        IgnorePublicAcls: inputs.value("ignorePublicAcls"),
        RestrictPublicBuckets: inputs.value("restrictPublicBuckets"),
      },
    }),
  ],
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ({ inputs }) => [
    call("s3", "PutBucketEncryption", {
      Bucket: inputs.value("bucket"),
      ServerSideEncryptionConfiguration: {
        Rules: inputs.items("rules").map((rule) => {
          const byDefault = rule.object("applyServerSideEncryptionByDefault");
          return {
            ApplyServerSideEncryptionByDefault: byDefault && {
              SSEAlgorithm: byDefault.value("sseAlgorithm"),
              KMSMasterKeyID: byDefault.value("kmsMasterKeyId"),
            },
            BucketKeyEnabled: rule.value("bucketKeyEnabled"),
          };
        }),
      },
    }),
  ],
  "aws:s3/bucketVersioning:BucketVersioning": ({ inputs }) => [
    call("s3", "PutBucketVersioning", {
      Bucket: inputs.value("bucket"),
      VersioningConfiguration: { Status: inputs.object("versioningConfiguration")?.value("status") },
    }),
  ],
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ({ inputs }) => [
    call("s3", "PutBucketLifecycleConfiguration", {
      Bucket: inputs.value("bucket"),
      LifecycleConfiguration: {
        Rules: inputs.items("rules").map((rule) => {
          const expiration = rule.object("expiration");
          const noncurrent = rule.object("noncurrentVersionExpiration");
          const abort = rule.object("abortIncompleteMultipartUpload");
          return {
            ID: rule.value("id"),
            Status: rule.value("status"),
            Filter: { Prefix: rule.object("filter")?.value("prefix") },
            Expiration: expiration && {
              Days: expiration.value("days"),
              ExpiredObjectDeleteMarker: expiration.value("expiredObjectDeleteMarker"),
            },
            NoncurrentVersionExpiration: noncurrent && { NoncurrentDays: noncurrent.value("noncurrentDays") },
            AbortIncompleteMultipartUpload: abort && { DaysAfterInitiation: abort.value("daysAfterInitiation") },
          };
        }),
      },
    }),
  ],
  // The provider decodes contentBase64 and sends the bytes as the object's body.
  "aws:s3/bucketObjectv2:BucketObjectv2": ({ inputs }) => [
    call("s3", "PutObject", {
      Bucket: inputs.value("bucket"),
      Key: inputs.value("key"),
      Body: inputs.value("contentBase64"),
      ContentType: inputs.value("contentType"),
      ServerSideEncryption: inputs.value("serverSideEncryption"),
    }),
  ],
  "aws:s3/bucketPolicy:BucketPolicy": ({ inputs }) => [call("s3", "PutBucketPolicy", { Bucket: inputs.value("bucket"), Policy: inputs.value("policy") })],
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": ({ inputs }) => {
    const details = inputs.object("policyDetails");
    const parameters = details?.object("parameters");
    const tagList = (tags: unknown) => ec2Tags(tags);
    return [
      call("dlm", "CreateLifecyclePolicy", {
        ExecutionRoleArn: inputs.value("executionRoleArn"),
        Description: inputs.value("description"),
        State: inputs.value("state"),
        Tags: inputs.value("tags"),
        PolicyDetails: details && {
          PolicyType: details.value("policyType"),
          ResourceTypes: details.value("resourceTypes"),
          TargetTags: tagList(details.value("targetTags")),
          Parameters: parameters && { ExcludeBootVolume: parameters.value("excludeBootVolume") },
          Schedules: details.items("schedules").map((schedule) => {
            const create = schedule.object("createRule");
            const retain = schedule.object("retainRule");
            return {
              Name: schedule.value("name"),
              CopyTags: schedule.value("copyTags"),
              CreateRule: create && { Interval: create.value("interval"), IntervalUnit: create.value("intervalUnit") },
              RetainRule: retain && { Count: retain.value("count") },
              VariableTags: tagList(schedule.value("variableTags")),
            };
          }),
        },
      }),
    ];
  },
  "aws:sns/topic:Topic": (resource) => [call("sns", "CreateTopic", { Name: nameOf(resource, "name"), Tags: ec2Tags(resource.inputs.value("tags")) })],
  "aws:cloudwatch/metricAlarm:MetricAlarm": (resource) => {
    const { inputs } = resource;
    const dimensions = inputs.value("dimensions") as Record<string, string> | undefined;
    return [
      call("cloudwatch", "PutMetricAlarm", {
        AlarmName: nameOf(resource, "name"),
        AlarmDescription: inputs.value("alarmDescription"),
        AlarmActions: inputs.value("alarmActions"),
        OKActions: inputs.value("okActions"),
        Namespace: inputs.value("namespace"),
        MetricName: inputs.value("metricName"),
        Dimensions: dimensions && Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
        Statistic: inputs.value("statistic"),
        Period: inputs.value("period"),
        EvaluationPeriods: inputs.value("evaluationPeriods"),
        DatapointsToAlarm: inputs.value("datapointsToAlarm"),
        Threshold: inputs.value("threshold"),
        ComparisonOperator: inputs.value("comparisonOperator"),
        TreatMissingData: inputs.value("treatMissingData"),
        Tags: ec2Tags(inputs.value("tags")),
      }),
    ];
  },
};

/** The API calls creating `resource` makes, and the inputs its mapping did not read. */
export function apiRequestsOf(resource: RecordedResource, region: string): { requests: ApiRequest[]; unread: string[] } {
  if (!isAwsApiType(resource.type)) throw new Error(`${resource.type} calls no AWS API (dev/resource-types/resource-type-table.ts)`);
  const mapping = MAPPINGS[resource.type];
  const inputs = new InputReader(resource.inputs);
  const state = plainValue(resource.state, resource.name) as Record<string, unknown>;
  const requests = mapping({ inputs, state, region });
  return { requests, unread: inputs.unread() };
}
