/**
 * The EC2 instances a fake AWS account already has, and the two lookups the program makes of
 * them (ec2:DescribeInstances behind `aws.ec2.getInstances` and `aws.ec2.getInstance`). An
 * offline run starts with none, as a new stack does; a run modelling a deployed stack is given the
 * instances an earlier run created (`instancesCreatedBy`), tags and all.
 */
import { createHash } from "node:crypto";
import type { ProgramRun } from "./run-record";
import { isRecordedObject, recordedText } from "./recorded-value";

/** One instance of the account, as DescribeInstances reports it. */
export interface FakeInstance {
  readonly id: string;
  /** `pending`, `running`, `stopping`, `stopped`, `shutting-down` or `terminated`. */
  readonly state: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The user data it was launched with, base64 (`userDataBase64`). */
  readonly userDataBase64: string;
}

type Properties = Record<string, unknown>;

/** The provider's default `instanceStateNames` (terraform-provider-aws data source aws_instances). */
const DEFAULT_STATE_NAMES = ["running"];

/** `aws:ec2/getInstances:getInstances`: instances whose tags include every `instanceTags` pair and whose state is listed. */
export function getInstancesAnswer(instances: readonly FakeInstance[], inputs: Properties, region: string): Properties {
  if (Array.isArray(inputs.filters) && inputs.filters.length > 0) {
    throw new Error(`offline run: getInstances filters ${JSON.stringify(inputs.filters)} are not mocked; teach dev/mock-runtime/fake-instances.ts`);
  }
  const wantedTags = Object.entries((inputs.instanceTags ?? {}) as Record<string, string>);
  const states = Array.isArray(inputs.instanceStateNames) ? inputs.instanceStateNames.map(String) : DEFAULT_STATE_NAMES;
  const found = instances.filter((instance) => states.includes(instance.state) && wantedTags.every(([key, value]) => instance.tags[key] === value));
  return { ...inputs, id: region, ids: found.map((instance) => instance.id), privateIps: [], publicIps: [], ipv6Addresses: [] };
}

/**
 * `aws:ec2/getInstance:getInstance` by `instanceId`; an unknown ID fails as the provider does. As
 * the provider, `userData` is always the SHA-1 of the user data, `userDataBase64` holds the user
 * data only with `getUserData: true`.
 */
export function getInstanceAnswer(instances: readonly FakeInstance[], inputs: Properties): Properties {
  const instance = instances.find((candidate) => candidate.id === inputs.instanceId);
  if (instance === undefined) {
    throw new Error("Your query returned no results. Please change your search criteria and try again.");
  }
  return {
    id: instance.id,
    instanceId: instance.id,
    instanceState: instance.state,
    tags: { ...instance.tags },
    userData: createHash("sha1").update(Buffer.from(instance.userDataBase64, "base64")).digest("hex"),
    ...(inputs.getUserData === true ? { userDataBase64: instance.userDataBase64 } : {}),
  };
}

/** The instances `run` created (an update), running with the tags the program gave them: the account after that `pulumi up`. */
export function instancesCreatedBy(run: ProgramRun): FakeInstance[] {
  if (run.preview) throw new Error("a preview creates no instances: take them from an update run");
  return run.resources
    .filter((resource) => resource.type === "aws:ec2/instance:Instance")
    .map((resource) => {
      const tags = resource.state["tags"];
      return {
        id: String(resource.id),
        state: "running",
        userDataBase64: recordedText(resource.state["userDataBase64"]),
        tags: isRecordedObject(tags) ? Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, recordedText(value)])) : {},
      };
    });
}
