/**
 * The README's "Changing a running cluster" table, checked against what the program does: for each
 * row, the dev stack is deployed offline, then run again with the row's sample change against the
 * account that deployment left (its instances, ENIs and volumes), and the update is classified
 * from the plan diff (dev/plan/run-changes.ts: replaced, updated in place, created, deleted). A
 * row whose effect no longer matches, a row without a sample and a config key without a row fail.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { clusterConfigShape } from "../../src/core/config/schema";
import { ClusterConfigError } from "../../src/core/config/errors";
import { instancesCreatedBy } from "../../dev/mock-runtime/fake-instances";
import { memberStorageCreatedBy, type FakeSubnet } from "../../dev/mock-runtime/fake-member-storage";
import { PROJECT_DIR } from "../../dev/mock-runtime/project-file";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { runChanges } from "../../dev/plan/run-changes";
import { DEV_REGION, DEV_SUBNET_D, DEV_SUBNETS, devAccountSubnets } from "../support/dev-account";

const STACK = "dev";
const SUBNETS = DEV_SUBNETS;
const SUBNET_D = DEV_SUBNET_D.id;
const OTHER_VPC_SUBNET = "subnet-0e0e0e0e0e0e0e0e0";
const ACCOUNT_SUBNETS: FakeSubnet[] = devAccountSubnets(DEV_SUBNET_D, {
  id: OTHER_VPC_SUBNET,
  availabilityZone: DEV_SUBNET_D.availabilityZone,
  vpcId: "vpc-0bbbbbbbbbbbbbbbb",
});

/** What an `up` with the change does, in the table's words. */
const EFFECTS = ["no change in AWS", "in place", "replaces members one at a time", "adds or removes members", "replaces every resource", "refused"] as const;
type Effect = (typeof EFFECTS)[number];

/** The sample change of each row (the row's first cell, verbatim), and the config deployed before it when not the stack's. */
const SAMPLES: Readonly<Record<string, { readonly change: Record<string, unknown>; readonly deployed?: Record<string, unknown> }>> = {
  "`members`": { change: { members: 5 } },
  "`allowSingleMember`": { change: { allowSingleMember: true } },
  "`protectData`": { change: { protectData: true, clusterName: "etcd-dev" } },
  "`allowMemberReplacement`": { change: { allowMemberReplacement: true } },
  "`clusterName`": { change: { clusterName: "etcd-dev2" } },
  "`vpcId`": { change: { vpcId: "vpc-0bbbbbbbbbbbbbbbb" } },
  "`subnetIds`, reordered or a member's subnet replaced": { change: { subnetIds: [SUBNETS[1], SUBNETS[0], SUBNETS[2]] } },
  "`subnetIds`, a subnet added where no member moves": { change: { subnetIds: [...SUBNETS, SUBNET_D] } },
  "`subnetIds`, a subnet of another VPC": { change: { subnetIds: [SUBNETS[0], SUBNETS[1], OTHER_VPC_SUBNET] } },
  "`instanceType`, same architecture": { change: { instanceType: "t4g.large" } },
  "`instanceType`, other architecture": { change: { instanceType: "m6i.large" } },
  "`ami`": { change: { ami: "ami-0c5a0b1d2e3f40516" } },
  "`osImage`": { change: { osImage: "debian13", ami: "ami-0c5a0b1d2e3f40516" } },
  "`etcdVersion`, an upgrade the rules allow": { deployed: { etcdVersion: "3.5.33" }, change: { etcdVersion: "3.6.14" } },
  "`etcdVersion`, a downgrade or a skipped minor": { change: { etcdVersion: "3.5.33" } },
  "`etcdDownloadBaseUrl`": { change: { etcdDownloadBaseUrl: "s3://my-mirror/etcd" } },
  "`dataVolume`, `walVolume` (grow, IOPS, throughput)": { change: { dataVolume: { sizeGiB: 32, iops: 4000 }, walVolume: { sizeGiB: 32 } } },
  "`kmsKeyId`": { change: { kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" } },
  "`clientCidrs`, `clientSecurityGroupIds`, `monitoringCidrs`": {
    change: { clientCidrs: ["10.10.0.0/16", "10.11.0.0/16"], clientSecurityGroupIds: ["sg-03867efed56744335"], monitoringCidrs: ["10.10.96.0/24"] },
  },
  "`tuning.*`": { change: { tuning: { snapshotCount: 25000 } } },
  "`pki.keyAlgorithm`, `ecdsaCurve`, `rsaBits`, `certValidityHours`": { change: { pki: { keyAlgorithm: "RSA" } } },
  "`pki.earlyRenewalHours`": { change: { pki: { earlyRenewalHours: 1000 } } },
  "`backup.snapshotSchedule`": { change: { backup: { snapshotSchedule: "hourly", retentionDays: 3, volumeSnapshots: { intervalHours: 24, retainCount: 3 } } } },
  "`backup.retentionDays`, `backup.volumeSnapshots`": { change: { backup: { retentionDays: 7, volumeSnapshots: { intervalHours: 12, retainCount: 5 } } } },
  "`restore.snapshotUri`, `snapshotSha256`": {
    change: {
      restore: {
        snapshotUri: "s3://etcd-dev-restores/etcd-dev/snapshots/last.db",
        snapshotSha256: "5f2b1c0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b",
      },
    },
  },
  "`tags`": { change: { tags: { environment: "dev", owner: "platform-team", costCenter: "42" } } },
};

interface TableRow {
  readonly keys: string;
  readonly effect: Effect;
}

/** The rows of the README section: first cell the key(s), second cell starting with an effect. */
function readmeRows(): TableRow[] {
  const readme = readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
  const start = readme.indexOf("\n## Changing a running cluster\n");
  assert.ok(start >= 0, "README has no section 'Changing a running cluster'");
  const section = readme.slice(start + 1, readme.indexOf("\n## ", start + 1));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [keys = "", effectCell = ""] = line.split(" | ").map((cell) => cell.replace(/^\| /, "").trim());
      const effect = EFFECTS.find((candidate) => effectCell.startsWith(`**${candidate}**`));
      assert.ok(effect, `row ${keys}: the effect must start with one of ${EFFECTS.map((e) => `**${e}**`).join(", ")}`);
      return { keys, effect };
    });
}

/** The effect of an update from `before` to `after`, read from the plan diff. */
function effectOf(before: ProgramRun, after: ProgramRun): Effect {
  const changes = runChanges(before, after);
  const isInstance = (type: string) => type === "aws:ec2/instance:Instance";
  const isMemberIdentity = (type: string) => type === "aws:ec2/networkInterface:NetworkInterface" || type === "aws:ebs/volume:Volume";
  const createdInstances = changes.created.filter((resource) => isInstance(resource.type)).length;
  const deletedInstances = changes.deleted.filter((resource) => isInstance(resource.type)).length;
  if (createdInstances > 0 && deletedInstances > 0) return "replaces every resource";
  if (changes.replaced.some((change) => isMemberIdentity(change.resource.type))) return "replaces every resource";
  if (createdInstances > 0 || deletedInstances > 0) return "adds or removes members";
  if (changes.replaced.some((change) => isInstance(change.resource.type))) return "replaces members one at a time";
  const anything = changes.replaced.length + changes.updated.length + changes.created.length + changes.deleted.length;
  return anything > 0 ? "in place" : "no change in AWS";
}

/** Deploys `deployed`, then runs `change` against what that left in the account. */
async function effectOfChange(deployed: Record<string, unknown>, change: Record<string, unknown>): Promise<Effect> {
  const before = await runProgram({ stack: STACK, preview: false, configOverrides: deployed, accountSubnets: ACCOUNT_SUBNETS });
  try {
    const after = await runProgram({
      stack: STACK,
      preview: false,
      configOverrides: { ...deployed, ...change },
      accountSubnets: ACCOUNT_SUBNETS,
      existingInstances: instancesCreatedBy(before),
      existingMemberStorage: memberStorageCreatedBy(before, ACCOUNT_SUBNETS, DEV_REGION),
    });
    return effectOf(before, after);
  } catch (error) {
    if (error instanceof ClusterConfigError || (error instanceof Error && /The stack config has/.test(error.message))) return "refused";
    throw error;
  }
}

describe("README 'Changing a running cluster' matches what an update does", () => {
  const rows = readmeRows();

  it("has a row for every config key, and a sample change for every row", () => {
    const covered = rows.map((row) => row.keys).join(" ");
    for (const key of Object.keys(clusterConfigShape)) assert.ok(covered.includes(`\`${key}`), `no row names ${key}`);
    assert.deepEqual(
      rows.map((row) => row.keys).filter((keys) => SAMPLES[keys] === undefined),
      [],
    );
    assert.deepEqual(
      Object.keys(SAMPLES).filter((keys) => !rows.some((row) => row.keys === keys)),
      [],
    );
  });

  for (const row of rows) {
    it(`${row.keys}: ${row.effect}`, async () => {
      const sample = SAMPLES[row.keys];
      if (sample === undefined) return; // reported by the test above
      assert.equal(await effectOfChange(sample.deployed ?? {}, sample.change), row.effect);
    });
  }
});
