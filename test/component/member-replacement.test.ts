/**
 * Changes that would replace a running member's ENI or volumes are refused before anything is
 * declared. The dev stack is deployed once (an offline `pulumi up`); the fake account then holds
 * its member ENIs and volumes with the tags, subnets, AZs and KMS key the program gave them, and
 * the next run reads them back (ec2 DescribeNetworkInterfaces / DescribeVolumes) and compares.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { defaultEbsKeyArn, memberStorageCreatedBy, type FakeMemberStorage, type FakeSubnet } from "../../dev/mock-runtime/fake-member-storage";
import { availabilityZoneOf } from "../../dev/mock-runtime/fake-network";
import { runProgram, type RunProgramOptions } from "../../dev/mock-runtime/run-stack";
import { DEV_REGION, DEV_SUBNET_D, DEV_SUBNETS, DEV_VPC, devAccountSubnets } from "../support/dev-account";

const STACK = "dev";
const REGION = DEV_REGION;
const SUBNETS = DEV_SUBNETS;
/** A fourth subnet in the region's `d` zone, and one more in the first subnet's AZ (`a`). */
const SUBNET_D = DEV_SUBNET_D.id;
const SUBNET_A2 = "subnet-0a2a2a2a2a2a2a2a2";
const ACCOUNT_SUBNETS: FakeSubnet[] = devAccountSubnets(DEV_SUBNET_D, { id: SUBNET_A2, availabilityZone: availabilityZoneOf(REGION, 0), vpcId: DEV_VPC });
const CUSTOMER_KEY = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

/** Runs dev against the account holding `storage`, with the overrides; what it declared and how it failed. */
async function runAgainst(
  storage: FakeMemberStorage,
  overrides: Record<string, unknown>,
  options: Partial<RunProgramOptions> = {},
): Promise<{ declared: string[]; error?: string; run?: Awaited<ReturnType<typeof runProgram>> }> {
  const declared: string[] = [];
  try {
    const run = await runProgram({
      stack: STACK,
      preview: true,
      configOverrides: overrides,
      existingMemberStorage: storage,
      accountSubnets: ACCOUNT_SUBNETS,
      onResourceRequest: (type) => {
        if (type !== "pulumi:pulumi:Stack") declared.push(type);
      },
      ...options,
    });
    return { declared, run };
  } catch (error) {
    return { declared, error: error instanceof Error ? error.message : String(error) };
  }
}

describe(`changes that would replace a member's ENI or volumes (${STACK})`, () => {
  let deployed: FakeMemberStorage = { networkInterfaces: [], volumes: [] };
  let deployedFive: FakeMemberStorage = { networkInterfaces: [], volumes: [] };
  before(async () => {
    const first = await runProgram({ stack: STACK, preview: false, accountSubnets: ACCOUNT_SUBNETS });
    deployed = memberStorageCreatedBy(first, ACCOUNT_SUBNETS, REGION);
    const five = await runProgram({ stack: STACK, preview: false, configOverrides: { members: 5 }, accountSubnets: ACCOUNT_SUBNETS });
    deployedFive = memberStorageCreatedBy(five, ACCOUNT_SUBNETS, REGION);
  });

  it("finds the deployed cluster's ENIs and volumes in the account, each in its subnet's AZ, under the default EBS key", () => {
    assert.equal(deployed.networkInterfaces.length, 3);
    assert.equal(deployed.volumes.length, 6);
    assert.deepEqual(
      deployed.networkInterfaces.map((eni) => [eni.subnetId, eni.availabilityZone]),
      SUBNETS.map((id, position) => [id, availabilityZoneOf(REGION, position)]),
    );
    for (const volume of deployed.volumes) assert.equal(volume.kmsKeyId, defaultEbsKeyArn(REGION));
  });

  it("lets the unchanged config through, and a change that replaces only instances", async () => {
    for (const overrides of [{}, { instanceType: "t4g.large" }]) {
      const { error } = await runAgainst(deployed, overrides);
      assert.equal(error, undefined, JSON.stringify(overrides));
    }
  });

  it("refuses reordered subnets in preview and update, declaring nothing, naming each moved member, its ENI and volumes", async () => {
    const reordered = [SUBNETS[1], SUBNETS[0], SUBNETS[2]];
    for (const preview of [true, false]) {
      const { declared, error } = await runAgainst(deployed, { subnetIds: reordered }, { preview });
      assert.deepEqual(declared, []);
      const eni0 = deployed.networkInterfaces[0];
      const data0 = deployed.volumes.find((volume) => volume.tags["etcd:member"] === "etcd-dev-0" && volume.tags["etcd:volume"] === "data")!;
      assert.match(
        error ?? "",
        new RegExp(
          `etcd-cluster:subnetIds\\[0\\] is "${SUBNETS[1]}": this places member etcd-dev-0 in ${SUBNETS[1]} \\(eu-west-1b\\), but EC2 cannot move ` +
            `an ENI to another subnet or a volume to another AZ: its network interface ${eni0.id} \\(in ${SUBNETS[0]}, eu-west-1a: its address\\), ` +
            `its data volume ${data0.id} \\(in eu-west-1a: its data\\), its WAL volume vol-\\w+ \\(in eu-west-1a: its log\\) would be replaced`,
        ),
      );
      assert.match(
        error ?? "",
        /Put subnet-02f0d0edafa1fdc7c back at this position \(.*\), or, for a deliberate migration of this member, set etcd-cluster:allowMemberReplacement to true/,
      );
      assert.match(error ?? "", /etcd-cluster:subnetIds\[1\] is "subnet-02f0d0edafa1fdc7c": this places member etcd-dev-1/);
      assert.doesNotMatch(error ?? "", /subnetIds\[2\]/);
    }
  });

  it("refuses a member's subnet swapped for another in the same AZ: the ENI would be replaced, the volumes not", async () => {
    const { error } = await runAgainst(deployed, { subnetIds: [SUBNET_A2, SUBNETS[1], SUBNETS[2]] });
    assert.match(
      error ?? "",
      /etcd-cluster:subnetIds\[0\] is "subnet-0a2a2a2a2a2a2a2a2": this places member etcd-dev-0 in .* its network interface eni-\w+ \(in subnet-02f0d0edafa1fdc7c, eu-west-1a: its address\) would be replaced and the member would lose it\./,
    );
    assert.doesNotMatch(error ?? "", /volume vol-/);
  });

  it("accepts a subnet added at the end while no member moves (3 members over 4 subnets)", async () => {
    const { error } = await runAgainst(deployed, { subnetIds: [...SUBNETS, SUBNET_D] });
    assert.equal(error, undefined);
  });

  it("refuses a subnet added at the end when round-robin placement moves members (5 members over 4 subnets: members 3 and 4 move)", async () => {
    const { error } = await runAgainst(deployedFive, { members: 5, subnetIds: [...SUBNETS, SUBNET_D] });
    assert.match(error ?? "", /etcd-cluster:subnetIds\[3\] is "subnet-0d0d0d0d0d0d0d0d0": this places member etcd-dev-3 in subnet-0d0d0d0d0d0d0d0d0 \(eu-west-1d\)/);
    assert.match(error ?? "", /etcd-cluster:subnetIds\[0\] is "subnet-02f0d0edafa1fdc7c": this places member etcd-dev-4 in subnet-02f0d0edafa1fdc7c \(eu-west-1a\)/);
    assert.doesNotMatch(error ?? "", /member etcd-dev-[012]/);
  });

  it("accepts scaling up and down over the same subnets", async () => {
    assert.equal((await runAgainst(deployed, { members: 5 })).error, undefined);
    assert.equal((await runAgainst(deployedFive, { members: 3 })).error, undefined);
  });

  it("refuses a kmsKeyId the volumes are not encrypted with, naming the key they use and every volume", async () => {
    const { declared, error } = await runAgainst(deployed, { kmsKeyId: CUSTOMER_KEY });
    assert.deepEqual(declared, []);
    assert.match(error ?? "", new RegExp(`etcd-cluster:kmsKeyId is "${CUSTOMER_KEY}": the members' volumes are encrypted with ${defaultEbsKeyArn(REGION)} \\(`));
    for (const volume of deployed.volumes) assert.match(error ?? "", new RegExp(volume.id));
    assert.match(error ?? "", /a volume's key cannot change, so every one of them would be replaced and its data lost/);
  });

  it("keeps the volumes' key when kmsKeyId is set to it, and when it is removed (the provider keeps a computed key)", async () => {
    const encrypted = memberStorageCreatedBy(
      await runProgram({ stack: STACK, preview: false, configOverrides: { kmsKeyId: CUSTOMER_KEY }, accountSubnets: ACCOUNT_SUBNETS }),
      ACCOUNT_SUBNETS,
      REGION,
    );
    assert.equal(encrypted.volumes[0].kmsKeyId, CUSTOMER_KEY);
    assert.equal((await runAgainst(encrypted, { kmsKeyId: CUSTOMER_KEY })).error, undefined);
    assert.equal((await runAgainst(encrypted, {})).error, undefined);
  });

  it("with allowMemberReplacement true, goes ahead and warns naming what is replaced", async () => {
    const { error, run } = await runAgainst(deployed, { subnetIds: [SUBNETS[1], SUBNETS[0], SUBNETS[2]], allowMemberReplacement: true });
    assert.equal(error, undefined);
    const warnings = run!.diagnostics.filter((diagnostic) => diagnostic.severity === "warning").map((diagnostic) => diagnostic.message);
    assert.ok(
      warnings.some((message) => /etcd-cluster:subnetIds\[0\] is .*this places member etcd-dev-0/.test(message)),
      warnings.join("\n"),
    );
  });

  it("does not judge another cluster's ENIs and volumes", async () => {
    const other: FakeMemberStorage = {
      networkInterfaces: deployed.networkInterfaces.map((eni) => ({ ...eni, tags: { ...eni.tags, "etcd:cluster": "etcd-other" } })),
      volumes: deployed.volumes.map((volume) => ({ ...volume, tags: { ...volume.tags, "etcd:cluster": "etcd-other" } })),
    };
    assert.equal((await runAgainst(other, { subnetIds: [SUBNETS[1], SUBNETS[0], SUBNETS[2]] })).error, undefined);
  });
});
