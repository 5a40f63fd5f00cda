/**
 * The dev stack's network as the fake account holds it, for tests that deploy dev offline and run
 * it again against what that left: its region, VPC and subnets (subnet N in the region's Nth AZ),
 * plus whatever other subnets a test needs the account to have.
 */
import type { FakeSubnet } from "../../dev/mock-runtime/fake-member-storage";
import { availabilityZoneOf } from "../../dev/mock-runtime/fake-network";
import { readStackFileConfig } from "../../dev/mock-runtime/stack-files";

const stackFile = readStackFileConfig("dev");

export const DEV_REGION = String(stackFile["aws:region"]);
export const DEV_VPC = String(stackFile["etcd-cluster:vpcId"]);
export const DEV_SUBNETS = (stackFile["etcd-cluster:subnetIds"] as unknown[]).map(String);

/** A subnet of the dev VPC in the region's fourth AZ (`d`), which the stack does not list. */
export const DEV_SUBNET_D: FakeSubnet = { id: "subnet-0d0d0d0d0d0d0d0d0", availabilityZone: availabilityZoneOf(DEV_REGION, 3), vpcId: DEV_VPC };

/** The account's subnets: dev's own, then `others`. */
export function devAccountSubnets(...others: FakeSubnet[]): FakeSubnet[] {
  return [...DEV_SUBNETS.map((id, position) => ({ id, availabilityZone: availabilityZoneOf(DEV_REGION, position), vpcId: DEV_VPC })), ...others];
}
