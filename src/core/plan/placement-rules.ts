/**
 * Whether the account can run the members where and as the config says: a pinned image of the
 * instance type's architecture, the instance type offered in every subnet's AZ, every subnet in
 * `vpcId` and in an AZ of its own. Pure: the facts come from lookups (placement-check.ts); each
 * problem names its config key and the fix.
 */
import { errorFinding, mergeFindings, NO_FINDINGS, warningFinding, type RuleFindings } from "../config/findings";
import { configKey, configProblem } from "../config/keys";
import type { ClusterConfig, ConfigProblem } from "../config/types";
import type { CpuArchitecture } from "../etcd/types";
import { ec2ArchitectureName } from "./architecture";

/** What the lookups found. */
export interface PlacementFacts {
  /** ClusterConfig.instanceType. */
  readonly instanceType: string;
  /** The instance type's architecture (architecture.ts). */
  readonly instanceArchitecture: CpuArchitecture;
  /** The pinned image (ClusterConfig.ami) and its EC2 architecture, or why the lookup failed; absent when none is pinned. */
  readonly pinnedImage?: { readonly id: string; readonly architecture: string } | { readonly id: string; readonly lookupError: string };
  /** Each of ClusterConfig.subnetIds, in order, with its AZ. */
  readonly subnets: readonly { readonly id: string; readonly availabilityZone: string }[];
  /** The AZs where EC2 offers the instance type (DescribeInstanceTypeOfferings, location type availability-zone). */
  readonly zonesOffering: readonly string[];
}

function imageProblem(facts: PlacementFacts): ConfigProblem | undefined {
  const image = facts.pinnedImage;
  if (image === undefined) return undefined;
  if ("lookupError" in image) {
    return configProblem(["ami"], image.id, `looking the image up failed (${image.lookupError}); set the ID of an image in this region that the account may launch`);
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

/** A subnet as DescribeSubnets reports it. */
export interface SubnetFacts {
  readonly id: string;
  readonly availabilityZone: string;
  readonly vpcId: string;
}

/**
 * Each subnet outside `vpcId` (an error: the security group is created in `vpcId`, and EC2 refuses
 * an ENI in another VPC's subnet with it), and each subnet in an AZ an earlier subnet already has:
 * members are placed round-robin over the subnets as if each were its own AZ, so two in one AZ are
 * lost together. An error where the stack protects its data, as too few subnets is
 * (topology-rules.ts checkZoneSpread), a warning elsewhere.
 */
export function checkSubnetNetwork(config: Pick<ClusterConfig, "vpcId" | "protectData">, subnets: readonly SubnetFacts[]): RuleFindings {
  return mergeFindings(
    subnets.map((subnet, index) => {
      if (subnet.vpcId !== config.vpcId) {
        return errorFinding(
          configProblem(
            ["subnetIds", index],
            subnet.id,
            `in ${subnet.vpcId}, not in ${configKey(["vpcId"])} ${config.vpcId}: the members' security group lives in ` +
              `${config.vpcId}, and EC2 refuses an interface in another VPC's subnet with it; list subnets of ${config.vpcId}, or set ` +
              `${configKey(["vpcId"])} to ${subnet.vpcId}`,
          ),
        );
      }
      const first = subnets.findIndex((other) => other.availabilityZone === subnet.availabilityZone);
      if (first === index) return NO_FINDINGS;
      const problem = configProblem(
        ["subnetIds", index],
        subnet.id,
        `in ${subnet.availabilityZone}, like ${configKey(["subnetIds", first])} ${subnets[first].id}: members are spread over ` +
          "the subnets one AZ each, and the members of two subnets in one AZ fail together; list one subnet per AZ" +
          (config.protectData ? ` (an error because ${configKey(["protectData"])} is true)` : ""),
      );
      return config.protectData ? errorFinding(problem) : warningFinding(problem);
    }),
  );
}

/** Every placement problem: the pinned image's architecture, then each subnet whose AZ lacks the instance type. */
export function placementProblems(facts: PlacementFacts): ConfigProblem[] {
  const image = imageProblem(facts);
  return [...(image === undefined ? [] : [image]), ...offeringProblems(facts)];
}
