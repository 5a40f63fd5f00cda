/**
 * Whether the account can run the members where and as the config says: a pinned image of the
 * instance type's architecture, and the instance type offered in every subnet's AZ. Pure: the
 * facts come from lookups (placement-check.ts); each problem names its config key and the fix.
 */
import { configKey, configProblem } from "../config/keys";
import type { ConfigProblem } from "../config/types";
import type { CpuArchitecture } from "../etcd/types";
import { ec2ArchitectureName } from "./architecture";

/** What the lookups found. */
export interface PlacementFacts {
  /** ClusterConfig.instanceType. */
  readonly instanceType: string;
  /** The instance type's architecture (architecture.ts). */
  readonly instanceArchitecture: CpuArchitecture;
  /** The pinned image (ClusterConfig.ami) and its EC2 architecture, or why the lookup failed; absent when none is pinned. */
  readonly pinnedImage?:
    { readonly id: string; readonly architecture: string } | { readonly id: string; readonly lookupError: string };
  /** Each of ClusterConfig.subnetIds, in order, with its AZ. */
  readonly subnets: readonly { readonly id: string; readonly availabilityZone: string }[];
  /** The AZs where EC2 offers the instance type (DescribeInstanceTypeOfferings, location type availability-zone). */
  readonly zonesOffering: readonly string[];
}

function imageProblem(facts: PlacementFacts): ConfigProblem | undefined {
  const image = facts.pinnedImage;
  if (image === undefined) return undefined;
  if ("lookupError" in image) {
    return configProblem(
      ["ami"],
      image.id,
      `looking the image up failed (${image.lookupError}); set the ID of an image in this region that the account may launch`,
    );
  }
  const needed = ec2ArchitectureName(facts.instanceArchitecture);
  if (image.architecture === needed) return undefined;
  return configProblem(
    ["ami"],
    image.id,
    `an ${image.architecture} image, but ${configKey(["instanceType"])} ${facts.instanceType} runs ${needed}: ` +
      `EC2 would refuse to launch it after the member's old instance is gone; pin an ${needed} image, remove ` +
      `${configKey(["ami"])} to use the OS's current ${needed} image, or choose an ${image.architecture} instance type`,
  );
}

function offeringProblems(facts: PlacementFacts): ConfigProblem[] {
  return facts.subnets.flatMap((subnet, index) =>
    facts.zonesOffering.includes(subnet.availabilityZone)
      ? []
      : [
          configProblem(
            ["subnetIds", index],
            subnet.id,
            `in ${subnet.availabilityZone}, where EC2 does not offer ${configKey(["instanceType"])} ${facts.instanceType}; ` +
              "choose an instance type offered in every subnet's AZ (aws ec2 describe-instance-type-offerings " +
              `--location-type availability-zone --filters Name=instance-type,Values=${facts.instanceType}) or a subnet in another AZ`,
          ),
        ],
  );
}

/** Every placement problem: the pinned image's architecture, then each subnet whose AZ lacks the instance type. */
export function placementProblems(facts: PlacementFacts): ConfigProblem[] {
  const image = imageProblem(facts);
  return [...(image === undefined ? [] : [image]), ...offeringProblems(facts)];
}
