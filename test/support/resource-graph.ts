/**
 * Questions the graph tests ask of a ProgramRun: resources by type, a member's own resources
 * (found by the `etcd:member` tag every member resource carries), values behind secrets.
 */
import { TAG_KEYS } from "../../src/core/aws/tags";
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { isRecordedObject, type RecordedValue } from "../../dev/mock-runtime/recorded-value";

/** Type tokens of the resources the tests look at. */
export const TYPES = {
  instance: "aws:ec2/instance:Instance",
  networkInterface: "aws:ec2/networkInterface:NetworkInterface",
  volume: "aws:ebs/volume:Volume",
  volumeAttachment: "aws:ec2/volumeAttachment:VolumeAttachment",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  legacyRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  parameter: "aws:ssm/parameter:Parameter",
  localCommand: "command:local:Command",
} as const;

export function resourcesOfType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((resource) => resource.type === type);
}

/** The one resource of this type; fails when there is none or more than one. */
export function onlyResourceOfType(run: ProgramRun, type: string): RecordedResource {
  const found = resourcesOfType(run, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** A tag's value from the resource's inputs, or undefined. */
export function tagOf(resource: RecordedResource, key: string): RecordedValue | undefined {
  const tags = resource.inputs.tags;
  return isRecordedObject(tags) ? tags[key] : undefined;
}

/** The etcd member a resource belongs to (its `etcd:member` tag), or undefined. */
export function memberOf(resource: RecordedResource): string | undefined {
  const member = tagOf(resource, TAG_KEYS.member);
  return typeof member === "string" ? member : undefined;
}

/** Resources of the type grouped by the member they belong to, member names sorted. */
export function byMember(run: ProgramRun, type: string): Map<string, RecordedResource[]> {
  const groups = new Map<string, RecordedResource[]>();
  for (const resource of resourcesOfType(run, type)) {
    const member = memberOf(resource);
    if (member === undefined) continue;
    groups.set(member, [...(groups.get(member) ?? []), resource]);
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

/** The data or WAL role of a member volume (its `etcd:volume` tag). */
export function volumeRoleOf(volume: RecordedResource): RecordedValue | undefined {
  return tagOf(volume, TAG_KEYS.volumeRole);
}

/** True when the resource's input was computed from the target's outputs (known in a preview too). */
export function inputComesFrom(resource: RecordedResource, input: string, target: RecordedResource): boolean {
  return resource.inputDependencies[input]?.includes(target.urn) ?? false;
}
