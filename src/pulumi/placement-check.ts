/**
 * Looks up what placement-rules.ts judges, before the first resource is declared: a mismatched
 * image or an instance type missing in an AZ is found by `pulumi preview`, not by `pulumi up`
 * after a member's old instance is already gone (its replacement is delete-before-replace).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { ClusterConfigError } from "../core/config/errors";
import type { ClusterConfig, ConfigProblem } from "../core/config/types";
import { planCluster } from "../core/plan/cluster-plan";
import { checkSubnetNetwork, placementProblems, type PlacementFacts, type SubnetFacts } from "../core/plan/placement-rules";

/** The pinned image's architecture (DescribeImages), or the lookup's error. */
async function pinnedImage(id: string, opts?: pulumi.InvokeOptions): Promise<NonNullable<PlacementFacts["pinnedImage"]>> {
  try {
    // Deprecated images are still launchable, and AWS deprecates public images after two years.
    const image = await aws.ec2.getAmi({ filters: [{ name: "image-id", values: [id] }], includeDeprecated: true }, opts);
    return { id, architecture: image.architecture };
  } catch (error) {
    return { id, lookupError: error instanceof Error ? error.message : String(error) };
  }
}

/** Each of the config's subnets, in order, with its AZ and VPC (DescribeSubnets). */
export async function lookUpSubnets(subnetIds: readonly string[], opts?: pulumi.InvokeOptions): Promise<SubnetFacts[]> {
  return Promise.all(
    subnetIds.map(async (id) => {
      const subnet = await aws.ec2.getSubnet({ id }, opts);
      return { id, availabilityZone: subnet.availabilityZone, vpcId: subnet.vpcId };
    }),
  );
}

/**
 * Throws ClusterConfigError naming each placement problem; returns the warnings (two subnets in
 * one AZ where data is not protected).
 */
export async function checkPlacement(config: ClusterConfig, opts?: pulumi.InvokeOptions): Promise<readonly ConfigProblem[]> {
  const subnets = await lookUpSubnets(config.subnetIds, opts);
  const offerings = await aws.ec2.getInstanceTypeOfferings(
    {
      locationType: "availability-zone",
      filters: [
        { name: "instance-type", values: [config.instanceType] },
        { name: "location", values: [...new Set(subnets.map((subnet) => subnet.availabilityZone))] },
      ],
    },
    opts,
  );
  const network = checkSubnetNetwork(config, subnets);
  const problems = [
    ...network.errors,
    ...placementProblems({
      instanceType: config.instanceType,
      instanceArchitecture: planCluster(config).architecture,
      ...(config.ami === undefined ? {} : { pinnedImage: await pinnedImage(config.ami, opts) }),
      subnets,
      zonesOffering: offerings.locations,
    }),
  ];
  if (problems.length > 0) throw new ClusterConfigError(problems);
  return network.warnings;
}
