/**
 * What `npm run test-cluster -- destroy` leaves behind, judged on the program's recorded resource
 * graph under mocks, for the config a test cluster gets (the dev stack's, unprotected, tagged). The
 * engine deletes dependents first; a stand-in AWS that refuses to delete anything another resource
 * still uses (an attached volume, an ENI in use, a security group with interfaces, a bucket before
 * its settings) walks the deletion order and must end empty. Nothing may be protected or retained,
 * the bucket must take its objects with it, and the DLM snapshots (outside the state) carry the tag
 * the command deletes them by.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { TAG_KEYS } from "../../src/core/aws/tags";
import { deletionOrder, dependencyUrns } from "../../dev/mock-runtime/dependency-order";
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { isRecordedObject } from "../../dev/mock-runtime/recorded-value";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { readStackFileConfig } from "../../dev/mock-runtime/stack-files";
import { protectedStackRefusal, type ResourceProtection } from "../../dev/test-cluster/protection";
import { testStackConfig } from "../../dev/test-cluster/test-stack-config";
import { programRun } from "../support/program-runs";
import { onlyResourceOfType, resourcesOfType, TYPES } from "../support/resource-graph";

const BILLABLE = [TYPES.instance, TYPES.volume, TYPES.networkInterface, TYPES.parameter, "aws:s3/bucket:Bucket", "aws:dlm/lifecyclePolicy:LifecyclePolicy"];

/** The recorded resources as the state would list them: URN, protect, retainOnDelete. */
function asState(run: ProgramRun): ResourceProtection[] {
  return run.resources.map((resource) => ({ urn: resource.urn, protect: resource.options.protect, retainOnDelete: resource.options.retainOnDelete }));
}

function named(run: ProgramRun, name: string): RecordedResource {
  const found = run.resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource ${name}`);
  return found;
}

describe("destroying a test cluster (dev stack config as test-cluster create writes it, under mocks)", () => {
  let run: ProgramRun;

  before(async () => {
    const settings = { name: "pr-1", stack: "test-pr-1", source: "dev", expiresAt: "2026-12-04T11:00:00Z" };
    run = await runProgram({ stack: "dev", preview: false, configOverrides: testStackConfig(readStackFileConfig("dev"), settings) });
  });

  it("deletes every resource only once nothing left still uses it, and ends with nothing", () => {
    const remaining = new Map(run.resources.map((resource) => [resource.urn, resource]));
    for (const doomed of deletionOrder(run)) {
      const users = [...remaining.values()].filter((other) => other !== doomed && dependencyUrns(other).includes(doomed.urn));
      assert.deepEqual(
        users.map((user) => user.name),
        [],
        `AWS would refuse to delete ${doomed.name} while these use it`,
      );
      remaining.delete(doomed.urn);
    }
    assert.equal(remaining.size, 0);
  });

  it("takes each member apart from the outside in: gate, attachments, instance, then ENI and volumes", () => {
    const position = new Map(deletionOrder(run).map((resource, index) => [resource.name, index]));
    const at = (name: string) => position.get(named(run, name).name)!;
    for (const member of [0, 1, 2]) {
      const prefix = `etcd-dev-member-${member}`;
      assert.ok(at(`${prefix}-health-gate`) < at(`${prefix}-instance`), `${prefix}: gate before instance`);
      for (const role of ["data", "wal"]) {
        assert.ok(at(`${prefix}-${role}-attachment`) < at(`${prefix}-instance`), `${prefix}: ${role} attachment before instance`);
        assert.ok(at(`${prefix}-${role}-attachment`) < at(`${prefix}-${role}`), `${prefix}: ${role} attachment before the volume`);
      }
      assert.ok(at(`${prefix}-instance`) < at(`${prefix}-eni`), `${prefix}: instance before its ENI`);
      assert.ok(at(`${prefix}-eni`) < at(onlyResourceOfType(run, TYPES.securityGroup).name), `${prefix}: ENI before the security group`);
    }
  });

  it("deletes the backup bucket's settings before the bucket", () => {
    const order = deletionOrder(run);
    const bucket = onlyResourceOfType(run, "aws:s3/bucket:Bucket");
    const settings = run.resources.filter((resource) => resource.type.startsWith("aws:s3/bucket") && resource !== bucket);
    assert.ok(settings.length >= 5);
    for (const setting of settings) assert.ok(order.indexOf(setting) < order.indexOf(bucket), setting.type);
  });

  it("leaves nothing billable: no resource protected or retained, every billable kind deleted", () => {
    assert.equal(protectedStackRefusal("test-pr-1", asState(run)), undefined);
    const deleted = new Set(deletionOrder(run).map((resource) => resource.type));
    for (const type of BILLABLE) {
      assert.ok(resourcesOfType(run, type).length > 0, `the program declares no ${type}`);
      assert.ok(deleted.has(type), type);
    }
  });

  it("empties the bucket as it deletes it, and the instances' root volumes go with them", () => {
    assert.equal(onlyResourceOfType(run, "aws:s3/bucket:Bucket").inputs.forceDestroy, true);
    for (const instance of resourcesOfType(run, TYPES.instance)) {
      const root = instance.inputs.rootBlockDevice;
      assert.ok(isRecordedObject(root) && root.deleteOnTermination === true, instance.name);
    }
  });

  it("lets DLM tag its snapshots with the cluster, the tag the command deletes them by after the destroy", () => {
    const policy = onlyResourceOfType(run, "aws:dlm/lifecyclePolicy:LifecyclePolicy");
    const details = policy.inputs.policyDetails;
    assert.ok(isRecordedObject(details));
    assert.deepEqual(details.targetTags, { [TAG_KEYS.cluster]: "etcd-dev" });
    const [schedule] = details.schedules as readonly unknown[];
    assert.ok(isRecordedObject(schedule as never) && (schedule as { copyTags?: unknown }).copyTags === true);
  });
});

describe("destroying a protected stack", () => {
  it("is refused, naming protectData and the protected volumes and bucket", async () => {
    const refusal = protectedStackRefusal("test-prod-copy", asState(await programRun("prod", "update")));
    assert.match(refusal ?? "", /etcd-cluster:protectData: true/);
    assert.match(refusal ?? "", /etcd-prod-member-0-data/);
    assert.match(refusal ?? "", /etcd-prod-backups/);
  });
});
