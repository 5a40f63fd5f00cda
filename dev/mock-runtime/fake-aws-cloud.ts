/**
 * The fake AWS account behind the offline runs: what AWS would compute for each resource the
 * program creates (IDs, ARNs, ENI addresses, generated names) and the answers to the data-source
 * invokes the program makes. An invoke nobody taught it throws, so a new lookup in the program is
 * noticed here instead of silently returning nothing.
 */
import { fakeArn, fakeAutoName, fakeAwsId, FAKE_ACCOUNT_ID, stableHex } from "./fake-aws-ids";
import { PINNED_FAKE_IMAGES, zonesOffering, type Ec2Architecture, type FakeImage } from "./fake-ec2-catalog";
import { getInstanceAnswer, getInstancesAnswer, type FakeInstance } from "./fake-instances";
import {
  getEbsVolumesAnswer,
  getNetworkInterfaceAnswer,
  getNetworkInterfacesAnswer,
  getVolumeAnswer,
  type FakeMemberStorage,
  type FakeSubnet,
} from "./fake-member-storage";
import { availabilityZoneOf, privateDnsNameOf, subnetCidrOf } from "./fake-network";

/** The network the fake account has and how it hands out member addresses. */
export interface FakeAwsSettings {
  /** `aws:region` of the stack. */
  readonly region: string;
  /** The stack's `subnetIds`; position N is in the region's Nth AZ (fake-network.ts). */
  readonly subnetIds: readonly string[];
  /** The VPC the subnets belong to (`vpcId` of the stack). */
  readonly vpcId: string;
  /**
   * Address of an ENI that requests none: `eniIndex` counts ENIs in declaration order (0-based,
   * across all subnets); `subnetId` is the ENI's subnet.
   */
  readonly memberAddress: (eniIndex: number, subnetId: string) => string;
  /** Instances the account already has (a deployed stack's); none for a new stack. */
  readonly instances?: readonly FakeInstance[];
  /** Member ENIs and volumes the account already has (a deployed stack's); none for a new stack. */
  readonly memberStorage?: FakeMemberStorage;
  /**
   * Subnets the account has besides the stack's, or with another AZ or VPC than the stack's
   * position gives them: a subnet keeps its AZ when a stack reorders its list. Default: none.
   */
  readonly subnets?: readonly FakeSubnet[];
  /**
   * Resources (`<type>/<logical name>`) created again after an earlier one was lost, with how many
   * times: AWS gives a new resource a new ID, so each generation's ID differs. Default: none.
   */
  readonly recreated?: ReadonlyMap<string, number>;
}

const NO_MEMBER_STORAGE: FakeMemberStorage = { networkInterfaces: [], volumes: [] };

type Properties = Record<string, unknown>;

/** What the fake provider computed for a new resource. */
export interface CreatedResource {
  /** The physical ID AWS would assign. */
  readonly id: string;
  /** Computed outputs only; the caller merges them with the inputs. */
  readonly outputs: Properties;
}

/** AWS-style ID prefixes of the resources whose IDs are not their names. */
const ID_PREFIXES: Readonly<Record<string, string>> = {
  "aws:ec2/networkInterface:NetworkInterface": "eni",
  "aws:ebs/volume:Volume": "vol",
  "aws:ec2/instance:Instance": "i",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
  "aws:ec2/volumeAttachment:VolumeAttachment": "vai",
};

/** The property the provider fills with a generated name when the program sets none. */
const AUTO_NAMED: Readonly<Record<string, string>> = {
  "aws:ec2/securityGroup:SecurityGroup": "name",
  "aws:iam/role:Role": "name",
  "aws:iam/policy:Policy": "name",
  "aws:iam/rolePolicy:RolePolicy": "name",
  "aws:iam/instanceProfile:InstanceProfile": "name",
  "aws:s3/bucket:Bucket": "bucket",
  "aws:s3/bucketV2:BucketV2": "bucket",
};

interface FakeEni {
  readonly ip: string;
  readonly subnetId: string;
}

/** One run's fake AWS account: it remembers the ENIs it created, so instances learn their addresses. */
export class FakeAwsCloud {
  private readonly enis = new Map<string, FakeEni>();
  /** The pinned images, and each vendor image a public parameter named. */
  private readonly images = new Map<string, FakeImage>(Object.entries(PINNED_FAKE_IMAGES));

  constructor(readonly settings: FakeAwsSettings) {}

  /** Answers a data-source invoke; throws for tokens it does not know. */
  invoke(token: string, inputs: Properties): Properties {
    switch (token) {
      case "aws:ec2/getSubnet:getSubnet":
        return this.subnet(String(inputs.id));
      case "aws:ssm/getParameter:getParameter":
        return this.publicParameter(String(inputs.name));
      case "aws:ec2/getAmi:getAmi":
        return this.image(filterValues(inputs, "image-id"));
      case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings":
        return this.instanceTypeOfferings(inputs);
      case "aws:ec2/getInstances:getInstances":
        return getInstancesAnswer(this.settings.instances ?? [], inputs, this.settings.region);
      case "aws:ec2/getInstance:getInstance":
        return getInstanceAnswer(this.settings.instances ?? [], inputs);
      case "aws:ec2/getNetworkInterfaces:getNetworkInterfaces":
        return getNetworkInterfacesAnswer(this.settings.memberStorage ?? NO_MEMBER_STORAGE, inputs, this.settings.region);
      case "aws:ec2/getNetworkInterface:getNetworkInterface":
        return getNetworkInterfaceAnswer(this.settings.memberStorage ?? NO_MEMBER_STORAGE, inputs, this.settings.region);
      case "aws:ebs/getEbsVolumes:getEbsVolumes":
        return getEbsVolumesAnswer(this.settings.memberStorage ?? NO_MEMBER_STORAGE, inputs, this.settings.region);
      case "aws:ebs/getVolume:getVolume":
        return getVolumeAnswer(this.settings.memberStorage ?? NO_MEMBER_STORAGE, inputs, this.settings.region);
      default:
        throw new Error(`offline run: no mock for invoke ${token} (inputs ${JSON.stringify(inputs)}); teach dev/mock-runtime/fake-aws-cloud.ts its answer`);
    }
  }

  /** Computes a new resource's ID and outputs. */
  create(type: string, name: string, inputs: Properties): CreatedResource {
    const generatedName = this.generatedName(type, name, inputs);
    const prefix = ID_PREFIXES[type];
    const generation = this.settings.recreated?.get(`${type}/${name}`) ?? 0;
    const seed = generation === 0 ? `${type}/${name}` : `${type}/${name}#${generation}`;
    const id = prefix ? fakeAwsId(prefix, seed) : (generatedName ?? (typeof inputs.name === "string" ? inputs.name : name));
    const outputs: Properties = { ...this.typeOutputs(type, id, inputs) };
    if (generatedName !== undefined) outputs[AUTO_NAMED[type]] = generatedName;
    if (type.startsWith("aws:")) outputs.arn = this.arnOf(type, id);
    return { id, outputs };
  }

  private generatedName(type: string, name: string, inputs: Properties): string | undefined {
    const property = AUTO_NAMED[type];
    if (property === undefined || inputs[property] !== undefined) return undefined;
    return fakeAutoName(name);
  }

  private typeOutputs(type: string, id: string, inputs: Properties): Properties {
    switch (type) {
      case "aws:ec2/networkInterface:NetworkInterface":
        return this.networkInterface(id, inputs);
      case "aws:ec2/instance:Instance":
        return this.instance(inputs);
      case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
        return { securityGroupRuleId: id };
      case "command:local:Command":
      case "command:remote:Command":
        return { stdout: "", stderr: "" };
      default:
        return {};
    }
  }

  private networkInterface(id: string, inputs: Properties): Properties {
    const subnetId = String(inputs.subnetId);
    this.subnetOf(subnetId); // refuses a subnet the account does not have
    const requested: unknown = inputs.privateIp ?? (Array.isArray(inputs.privateIps) ? inputs.privateIps[0] : undefined);
    const ip = typeof requested === "string" ? requested : this.settings.memberAddress(this.enis.size, subnetId);
    this.enis.set(id, { ip, subnetId });
    return {
      privateIp: ip,
      privateIps: [ip],
      privateDnsName: privateDnsNameOf(ip, this.settings.region),
      macAddress: `02:00:${stableHex(id, 8).replace(/(..)(?!$)/g, "$1:")}`,
      ownerId: FAKE_ACCOUNT_ID,
    };
  }

  private instance(inputs: Properties): Properties {
    const eniId = primaryNetworkInterfaceId(inputs);
    const eni = eniId === undefined ? undefined : this.enis.get(eniId);
    if (eni === undefined) return { instanceState: "running" };
    return {
      instanceState: "running",
      primaryNetworkInterfaceId: eniId,
      privateIp: eni.ip,
      privateDns: privateDnsNameOf(eni.ip, this.settings.region),
      availabilityZone: this.subnetOf(eni.subnetId).availabilityZone,
      subnetId: eni.subnetId,
    };
  }

  private subnet(id: string): Properties {
    const { availabilityZone, vpcId } = this.subnetOf(id);
    const zonePosition = availabilityZone.charCodeAt(availabilityZone.length - 1) - "a".charCodeAt(0);
    const position = this.settings.subnetIds.indexOf(id);
    return {
      id,
      arn: this.arnOf("aws:ec2/subnet:Subnet", id),
      availabilityZone,
      availabilityZoneId: `${this.settings.region}-az${zonePosition + 1}`,
      cidrBlock: subnetCidrOf(position < 0 ? zonePosition : position),
      vpcId,
      state: "available",
      defaultForAz: false,
      mapPublicIpOnLaunch: false,
      ownerId: FAKE_ACCOUNT_ID,
      tags: {},
    };
  }

  /** Vendors publish their current images as public parameters under /aws/service/ (an AMI ID each). */
  private publicParameter(name: string): Properties {
    if (!name.startsWith("/aws/service/")) {
      throw new Error(`offline run: getParameter(${name}) is not a public /aws/service/ parameter; only AMI lookups are mocked`);
    }
    const ami = `ami-${stableHex(name, 17)}`;
    const architecture: Ec2Architecture = name.endsWith("arm64") ? "arm64" : "x86_64";
    this.images.set(ami, { name: name.split("/").slice(-2).join("-"), architecture });
    const arn = fakeArn("ssm", this.settings.region, `parameter${name}`);
    return { id: name, name, arn, type: "String", value: ami, insecureValue: ami, version: 1 };
  }

  /** DescribeImages by image ID; like the provider, an empty result is an error. */
  private image(imageIds: readonly string[]): Properties {
    const found = imageIds.flatMap((id) => {
      const image = this.images.get(id);
      return image === undefined ? [] : [{ id, ...image }];
    });
    if (found.length !== 1) {
      const results = found.length === 0 ? "no results" : "more than one result";
      throw new Error(`Your query returned ${results}. Please change your search criteria and try again.`);
    }
    const { id, name, architecture } = found[0];
    const arn = fakeArn("ec2", this.settings.region, `image/${id}`);
    const root = { rootDeviceName: "/dev/xvda", rootDeviceType: "ebs", virtualizationType: "hvm" };
    return { id, imageId: id, arn, name, architecture, state: "available", ...root };
  }

  /** DescribeInstanceTypeOfferings by AZ, filtered by instance type and location as the program asks. */
  private instanceTypeOfferings(inputs: Properties): Properties {
    if (inputs.locationType !== "availability-zone") {
      throw new Error(`offline run: instance type offerings are mocked by availability-zone only, not ${String(inputs.locationType)}`);
    }
    const zones = filterValues(inputs, "location");
    const offerings = filterValues(inputs, "instance-type").flatMap((type) => zonesOffering(this.settings.region, type, zones).map((zone) => ({ type, zone })));
    return {
      id: this.settings.region,
      locationType: "availability-zone",
      instanceTypes: offerings.map((offering) => offering.type),
      locations: offerings.map((offering) => offering.zone),
      locationTypes: offerings.map(() => "availability-zone"),
    };
  }

  /** The account's subnet: one given in the settings, else the stack's Nth subnet in the region's Nth AZ and `vpcId`. */
  private subnetOf(subnetId: string): FakeSubnet {
    const given = this.settings.subnets?.find((subnet) => subnet.id === subnetId);
    if (given !== undefined) return given;
    const position = this.settings.subnetIds.indexOf(subnetId);
    if (position < 0) {
      throw new Error(`offline run: subnet ${subnetId} is not one of the stack's subnetIds (${this.settings.subnetIds.join(", ")})`);
    }
    return { id: subnetId, availabilityZone: availabilityZoneOf(this.settings.region, position), vpcId: this.settings.vpcId };
  }

  private arnOf(type: string, id: string): string {
    const [module = "", kind = ""] = type.split(":")[1].split("/");
    const service = module === "ebs" || module === "vpc" ? "ec2" : module;
    // A bucket's ARN is its name alone (`arn:aws:s3:::<bucket>`); its objects' are `<bucket>/<key>`.
    if (type === "aws:s3/bucket:Bucket") return fakeArn(service, this.settings.region, id);
    // A topic's ARN ends in its name, an alarm's in `alarm:<name>`.
    if (type === "aws:sns/topic:Topic") return fakeArn(service, this.settings.region, id);
    if (type === "aws:cloudwatch/metricAlarm:MetricAlarm") return fakeArn(service, this.settings.region, `alarm:${id}`);
    return fakeArn(service, this.settings.region, `${ARN_RESOURCE_TYPES[type] ?? kebabCase(kind)}/${id.replace(/^\//, "")}`);
  }
}

/** ARN resource types that are not the type token's kind in kebab case. */
const ARN_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": "policy",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security-group-rule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "security-group-rule",
};

/** `networkInterface` → `network-interface`, as ARNs spell resource types. */
function kebabCase(kind: string): string {
  return kind.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function primaryNetworkInterfaceId(inputs: Properties): string | undefined {
  const primary = inputs.primaryNetworkInterface as Properties | undefined;
  const attached = Array.isArray(inputs.networkInterfaces) ? (inputs.networkInterfaces as Properties[]) : [];
  const first = attached.find((eni) => Number(eni.deviceIndex) === 0);
  const id = primary?.networkInterfaceId ?? first?.networkInterfaceId;
  return typeof id === "string" ? id : undefined;
}

/** The values of the invoke's filter `name`; throws when the program sent none (the fake answers only filtered lookups). */
function filterValues(inputs: Properties, name: string): string[] {
  const filters = Array.isArray(inputs.filters) ? (inputs.filters as { name?: unknown; values?: unknown }[]) : [];
  const filter = filters.find((candidate) => candidate.name === name);
  if (filter === undefined || !Array.isArray(filter.values)) {
    throw new Error(`offline run: the lookup needs a "${name}" filter here (inputs ${JSON.stringify(inputs)})`);
  }
  return filter.values.map(String);
}
