/**
 * The member ENIs and EBS volumes a fake AWS account already has, and the lookups the program
 * makes of them before declaring anything (src/pulumi/member-replacement-check.ts):
 * DescribeNetworkInterfaces and DescribeVolumes by tag filter, then each by ID. As the provider,
 * the list lookups return an empty `ids` when nothing matches, and the single lookups fail on an
 * unknown ID. A run modelling a deployed stack is given what an earlier run created
 * (`memberStorageCreatedBy`), in the AZ its subnet has in the account.
 */
import type { ProgramRun } from "./run-record";
import { isRecordedObject, recordedText, type RecordedValue } from "./recorded-value";
import { fakeArn, FAKE_ACCOUNT_ID, stableHex } from "./fake-aws-ids";

/** A subnet of the fake account: its AZ and VPC never depend on a stack's list order. */
export interface FakeSubnet {
  readonly id: string;
  readonly availabilityZone: string;
  readonly vpcId: string;
}

/** One ENI of the account, as DescribeNetworkInterfaces reports it. */
export interface FakeNetworkInterface {
  readonly id: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** One EBS volume of the account, as DescribeVolumes reports it. */
export interface FakeVolume {
  readonly id: string;
  readonly availabilityZone: string;
  /** Always a key ARN: EC2 reports the key it used, AWS's default EBS key when the request named none. */
  readonly kmsKeyId: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** What the account holds of a deployed cluster's members. */
export interface FakeMemberStorage {
  readonly networkInterfaces: readonly FakeNetworkInterface[];
  readonly volumes: readonly FakeVolume[];
}

type Properties = Record<string, unknown>;

/** The ARN of the account's AWS-managed EBS key (`alias/aws/ebs`) in `region`: what an unnamed key encrypts with. */
export function defaultEbsKeyArn(region: string): string {
  const id = stableHex(`aws/ebs/${region}`, 32);
  return fakeArn("kms", region, `key/${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`);
}

/** Whether `tags` (and the ID under `idFilter`) match every filter; a filter name nobody taught it throws. */
function matchesFilters(id: string, tags: Readonly<Record<string, string>>, inputs: Properties, idFilter: string): boolean {
  const filters = Array.isArray(inputs.filters) ? (inputs.filters as { name: string; values: string[] }[]) : [];
  return filters.every((filter) => {
    if (filter.name === idFilter) return filter.values.includes(id);
    if (filter.name.startsWith("tag:")) {
      const value = tags[filter.name.slice("tag:".length)];
      return value !== undefined && filter.values.includes(value);
    }
    throw new Error(`offline run: filter ${filter.name} is not mocked; teach dev/mock-runtime/fake-member-storage.ts`);
  });
}

const NO_RESULTS = "Your query returned no results. Please change your search criteria and try again.";

/** `aws:ec2/getNetworkInterfaces:getNetworkInterfaces`. */
export function getNetworkInterfacesAnswer(storage: FakeMemberStorage, inputs: Properties, region: string): Properties {
  const ids = storage.networkInterfaces.filter((eni) => matchesFilters(eni.id, eni.tags, inputs, "network-interface-id")).map((eni) => eni.id);
  return { ...inputs, id: region, ids };
}

/** `aws:ec2/getNetworkInterface:getNetworkInterface` by `id`. */
export function getNetworkInterfaceAnswer(storage: FakeMemberStorage, inputs: Properties, region: string): Properties {
  const eni = storage.networkInterfaces.find((candidate) => candidate.id === inputs.id);
  if (eni === undefined) throw new Error(NO_RESULTS);
  return {
    id: eni.id,
    arn: fakeArn("ec2", region, `network-interface/${eni.id}`),
    subnetId: eni.subnetId,
    availabilityZone: eni.availabilityZone,
    interfaceType: "interface",
    ownerId: FAKE_ACCOUNT_ID,
    tags: { ...eni.tags },
  };
}

/** `aws:ebs/getEbsVolumes:getEbsVolumes`. */
export function getEbsVolumesAnswer(storage: FakeMemberStorage, inputs: Properties, region: string): Properties {
  const ids = storage.volumes.filter((volume) => matchesFilters(volume.id, volume.tags, inputs, "volume-id")).map((volume) => volume.id);
  return { ...inputs, id: region, ids };
}

/** `aws:ebs/getVolume:getVolume`: exactly one volume must match, as the provider insists. */
export function getVolumeAnswer(storage: FakeMemberStorage, inputs: Properties, region: string): Properties {
  const found = storage.volumes.filter((volume) => matchesFilters(volume.id, volume.tags, inputs, "volume-id"));
  if (found.length !== 1) throw new Error(found.length === 0 ? NO_RESULTS : "Your query returned more than one result.");
  const volume = found[0];
  return {
    id: volume.id,
    volumeId: volume.id,
    arn: fakeArn("ec2", region, `volume/${volume.id}`),
    availabilityZone: volume.availabilityZone,
    encrypted: true,
    kmsKeyId: volume.kmsKeyId,
    volumeType: "gp3",
    tags: { ...volume.tags },
  };
}

function stringTags(value: RecordedValue | undefined): Record<string, string> {
  return isRecordedObject(value) ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, recordedText(inner)])) : {};
}

/** The member ENIs and volumes `run` (an update) created: the account after that `pulumi up`, each in its subnet's AZ. */
export function memberStorageCreatedBy(run: ProgramRun, subnets: readonly FakeSubnet[], region: string): FakeMemberStorage {
  if (run.preview) throw new Error("a preview creates nothing: take the ENIs and volumes from an update run");
  const zoneOf = (subnetId: string) => {
    const subnet = subnets.find((candidate) => candidate.id === subnetId);
    if (subnet === undefined) throw new Error(`subnet ${subnetId} is not one of the account's subnets`);
    return subnet.availabilityZone;
  };
  const ofType = (type: string) => run.resources.filter((resource) => resource.type === type);
  return {
    networkInterfaces: ofType("aws:ec2/networkInterface:NetworkInterface").map((eni) => ({
      id: String(eni.id),
      subnetId: recordedText(eni.state["subnetId"]),
      availabilityZone: zoneOf(recordedText(eni.state["subnetId"])),
      tags: stringTags(eni.state["tags"]),
    })),
    volumes: ofType("aws:ebs/volume:Volume").map((volume) => ({
      id: String(volume.id),
      availabilityZone: recordedText(volume.state["availabilityZone"]),
      kmsKeyId: volume.state["kmsKeyId"] === undefined ? defaultEbsKeyArn(region) : recordedText(volume.state["kmsKeyId"]),
      tags: stringTags(volume.state["tags"]),
    })),
  };
}
