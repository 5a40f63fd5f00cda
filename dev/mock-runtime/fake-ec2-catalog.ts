/**
 * What the fake account's EC2 knows beyond the stack's network: the images it can launch and
 * where each instance type is offered. Only what the program's lookups ask (DescribeImages for a
 * pinned `ami`, DescribeInstanceTypeOfferings by AZ), shaped as the provider returns it, with
 * entries that make the stacks pass and let tests make each check fail.
 */
import { availabilityZoneOf } from "./fake-network";

/** EC2's architecture names (DescribeImages `Architecture`). */
export type Ec2Architecture = "x86_64" | "arm64" | "i386" | "x86_64_mac" | "arm64_mac";

export interface FakeImage {
  readonly name: string;
  readonly architecture: Ec2Architecture;
}

/** Images pinned by ID: the one stacks/Pulumi.prod.yaml pins, and an arm64 one for tests. */
export const PINNED_FAKE_IMAGES: Readonly<Record<string, FakeImage>> = {
  "ami-0523e26d5fb5df202": { name: "al2023-ami-2023.8.20250915.0-kernel-6.1-x86_64", architecture: "x86_64" },
  "ami-0c5a0b1d2e3f40516": { name: "al2023-ami-2023.8.20250915.0-kernel-6.1-arm64", architecture: "arm64" },
};

/**
 * Instance types the fake offers in only some AZs, by subnet position (0: the region's `a` zone):
 * not every type is in every AZ of a region. Every other well-formed type is offered everywhere.
 */
export const PARTLY_OFFERED_INSTANCE_TYPES: Readonly<Record<string, readonly number[]>> = {
  "m7i-flex.large": [0, 1],
};

/** The AZs among `zones` where the fake offers `instanceType`. */
export function zonesOffering(region: string, instanceType: string, zones: readonly string[]): string[] {
  const positions = PARTLY_OFFERED_INSTANCE_TYPES[instanceType];
  if (positions === undefined) return [...zones];
  const offered = positions.map((position) => availabilityZoneOf(region, position));
  return zones.filter((zone) => offered.includes(zone));
}
