/**
 * The rollout order in the resource graph (core/plan/rollout-order.ts): the dev stack is deployed
 * offline, then run again against an account where a member's instance is missing (an interrupted
 * rollout deleted it) or stopped. That member's gates and instance must wait for nothing of the
 * running members, and the running members must wait for its health gate; the removal chain stays
 * in member order.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { instancesCreatedBy, type FakeInstance } from "../../dev/mock-runtime/fake-instances";
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { TAG_KEYS } from "../../src/core/aws/tags";

const STACK = "dev";
/** A change that replaces every instance, as the interrupted rollout's retry makes. */
const RETRY = { tuning: { snapshotCount: 30000 } };

function named(run: ProgramRun, name: string): RecordedResource {
  const found = run.resources.find((resource) => resource.name === name);
  assert.ok(found, `the run declares ${name}`);
  return found;
}
const urnOf = (run: ProgramRun, name: string) => named(run, name).urn;
const dependsOnNames = (run: ProgramRun, name: string) =>
  named(run, name).options.dependsOn.map((urn) => run.resources.find((resource) => resource.urn === urn)?.name ?? urn);
const ofMember = (names: readonly string[], index: number) => names.filter((name) => name.startsWith(`etcd-dev-member-${index}-`));

describe("rollout order: a member whose instance is not running rolls first (dev stack, retry after an interruption)", () => {
  let deployed: FakeInstance[];
  const retryWith = (instances: readonly FakeInstance[]) => runProgram({ stack: STACK, preview: false, configOverrides: RETRY, existingInstances: instances });
  const withoutMember = (member: string) => deployed.filter((instance) => instance.tags[TAG_KEYS.member] !== member);
  const stopped = (member: string) => deployed.map((instance) => (instance.tags[TAG_KEYS.member] === member ? { ...instance, state: "stopped" } : instance));

  before(async () => {
    deployed = instancesCreatedBy(await runProgram({ stack: STACK, preview: false }));
    assert.equal(deployed.length, 3);
  });

  describe("member 1's instance missing from the account", () => {
    let run: ProgramRun;
    before(async () => {
      run = await retryWith(withoutMember("etcd-dev-1"));
    });

    it("member 1's pre-disruption gate waits for nothing", () => {
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-1-pre-disruption-gate"), []);
    });

    it("member 1's instance depends on nothing of member 0 or 2", () => {
      const dependsOn = dependsOnNames(run, "etcd-dev-member-1-instance");
      assert.ok(dependsOn.includes("etcd-dev-member-1-pre-disruption-gate"));
      assert.deepEqual([...ofMember(dependsOn, 0), ...ofMember(dependsOn, 2)], []);
    });

    it("member 0's pre-disruption gate and instance come after member 1's health gate", () => {
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-0-pre-disruption-gate"), ["etcd-dev-member-1-health-gate"]);
      assert.ok(named(run, "etcd-dev-member-0-instance").options.dependsOn.includes(urnOf(run, "etcd-dev-member-1-health-gate")));
    });

    it("member 2 still comes after member 0's health gate", () => {
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-2-pre-disruption-gate"), ["etcd-dev-member-0-health-gate"]);
      assert.ok(named(run, "etcd-dev-member-2-instance").options.dependsOn.includes(urnOf(run, "etcd-dev-member-0-health-gate")));
    });

    it("the removals keep member order: member 2's after member 1's after member 0's", () => {
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-0-removal"), ["etcd-dev-member-0-instance"]);
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-1-removal"), ["etcd-dev-member-1-instance", "etcd-dev-member-0-removal"]);
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-2-removal"), ["etcd-dev-member-2-instance", "etcd-dev-member-1-removal"]);
    });
  });

  describe("member 2's instance stopped", () => {
    let run: ProgramRun;
    before(async () => {
      run = await retryWith(stopped("etcd-dev-2"));
    });

    it("member 2 rolls first, then member 0 after it, then member 1", () => {
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-2-pre-disruption-gate"), []);
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-0-pre-disruption-gate"), ["etcd-dev-member-2-health-gate"]);
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-1-pre-disruption-gate"), ["etcd-dev-member-0-health-gate"]);
    });
  });

  describe("every instance running", () => {
    it("the chain is member order, member 0 first", async () => {
      const run = await retryWith(deployed);
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-0-pre-disruption-gate"), []);
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-1-pre-disruption-gate"), ["etcd-dev-member-0-health-gate"]);
      assert.deepEqual(dependsOnNames(run, "etcd-dev-member-2-pre-disruption-gate"), ["etcd-dev-member-1-health-gate"]);
    });
  });
});
