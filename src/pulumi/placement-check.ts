/**
 * Looks up what placement-rules.ts judges, before the first resource is declared: a mismatched
 * image or an instance type missing in an AZ is found by `pulumi preview`, not by `pulumi up`
 * after a member's old instance is already gone (its replacement is delete-before-replace).
 */
import * as aws from "@pulumi/aws";
import { ClusterConfigError } from "../core/config/errors";
import type { ClusterConfig } from "../core/config/types";
import { instanceArchitecture } from "../core/plan/architecture";
import { placementProblems, type PlacementFacts } from "../core/plan/placement-rules";

/** The pinned image's architecture (DescribeImages), or the lookup's error. */
async function pinnedImage(id: string): Promise<NonNullable<PlacementFacts["pinnedImage"]>> {
  try {
    // Deprecated images are still launchable, and AWS deprecates public images after two years.
    const image = await aws.ec2.getAmi({ filters: [{ name: "image-id", values: [id] }], includeDeprecated: true });
    return { id, architecture: image.architecture };
  } catch (error) {
    return { id, lookupError: error instanceof Error ? error.message : String(error) };
  }
}

/** Throws ClusterConfigError naming each placement problem; resolves when there is none. */
export async function checkPlacement(config: ClusterConfig): Promise<void> {
  const subnets = await Promise.all(
    config.subnetIds.map(async (id) => ({ id, availabilityZone: (await aws.ec2.getSubnet({ id })).availabilityZone })),
  );
  const offerings = await aws.ec2.getInstanceTypeOfferings({
    locationType: "availability-zone",
    filters: [
      { name: "instance-type", values: [config.instanceType] },
      { name: "location", values: [...new Set(subnets.map((subnet) => subnet.availabilityZone))] },
    ],
  });
  const problems = placementProblems({
    instanceType: config.instanceType,
    instanceArchitecture: instanceArchitecture(config.instanceType),
    ...(config.ami === undefined ? {} : { pinnedImage: await pinnedImage(config.ami) }),
    subnets,
    zonesOffering: offerings.locations,
  });
  if (problems.length > 0) throw new ClusterConfigError(problems);
}
