/**
 * The fake VPC the offline runs see: subnet N of the stack's `subnetIds` lies in the region's
 * Nth availability zone (`us-east-1a`, `us-east-1b`, …) and has the CIDR 10.0.(N+1).0/24; an ENI
 * without a requested address gets the next free one in its subnet from .10 on.
 */

/** The availability zone of the subnet at this position of the stack's `subnetIds`. */
export function availabilityZoneOf(region: string, subnetPosition: number): string {
  return `${region}${String.fromCharCode("a".charCodeAt(0) + subnetPosition)}`;
}

/** The CIDR block of the subnet at this position. */
export function subnetCidrOf(subnetPosition: number): string {
  return `10.0.${subnetPosition + 1}.0/24`;
}

/** The default address of the ENI declared `eniIndex`-th (0-based) in the subnet at this position. */
export function defaultMemberAddress(eniIndex: number, subnetPosition: number): string {
  return `10.0.${subnetPosition + 1}.${10 + eniIndex}`;
}

/** EC2's private DNS name for an address: `ip-10-0-1-10.eu-west-1.compute.internal` (`ec2.internal` in us-east-1). */
export function privateDnsNameOf(ip: string, region: string): string {
  const domain = region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`;
  return `ip-${ip.replaceAll(".", "-")}.${domain}`;
}
