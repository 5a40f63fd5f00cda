/**
 * The pre-disruption gates' wiring under the mock runtime: every member's instance, member 0's
 * included, depends on a gate of its own that runs the cluster-wide check first; the gates keep
 * the member-by-member order; and the gate's environment changes exactly when an update will
 * replace or restart the instance, so that update runs the gate before the instance is touched.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { renderClusterGateScript } from "../../src/core/aws/cluster-gate-command";
import { DEFAULT_PRE_DISRUPTION_GATE_LIMITS } from "../../src/core/aws/gate-limits";
import { TAG_KEYS } from "../../src/core/aws/tags";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { isRecordedObject, recordedText } from "../../dev/mock-runtime/recorded-value";
import { byMember, resourcesOfType, TYPES } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";

const preDisruptionGateOf = (run: ProgramRun, instance: RecordedResource): RecordedResource => {
  const name = instance.name.replace(/-instance$/, "-pre-disruption-gate");
  const found = resourcesOfType(run, TYPES.localCommand).filter((command) => command.name === name);
  assert.equal(found.length, 1, `one ${name}`);
  return found[0];
};
const healthGateOf = (run: ProgramRun, instance: RecordedResource) =>
  resourcesOfType(run, TYPES.localCommand).find((command) => command.name === instance.name.replace(/-instance$/, "-health-gate"));
const instancesInMemberOrder = (run: ProgramRun) => [...byMember(run, TYPES.instance).values()].map(([instance]) => instance);

describeEachStackRun("pre-disruption gates", ({ config, run }) => {
  it("every instance, member 0's included, depends on its own pre-disruption gate", () => {
    for (const instance of instancesInMemberOrder(run())) {
      assert.ok(instance.options.dependsOn.includes(preDisruptionGateOf(run(), instance).urn), `${instance.name} waits for its gate`);
    }
  });

  it("each pre-disruption gate waits for the previous member's health gate; member 0's for nothing", () => {
    const instances = instancesInMemberOrder(run());
    instances.forEach((instance, index) => {
      const gate = preDisruptionGateOf(run(), instance);
      const previous = instances[index - 1];
      const expected = previous === undefined ? [] : [healthGateOf(run(), previous)!.urn];
      assert.deepEqual(gate.options.dependsOn, expected, gate.name);
    });
  });

  it("each gate runs the cluster-wide check for its member on create and on every update, never on delete", () => {
    for (const instance of instancesInMemberOrder(run())) {
      const gate = preDisruptionGateOf(run(), instance);
      const member = instance.name.replace(/^.*-member-(\d+)-instance$/, "$1");
      const memberName = `${config.clusterName}-${member}`;
      assert.equal(
        gate.inputs.create,
        renderClusterGateScript({ memberName, clusterName: config.clusterName, tagKeys: TAG_KEYS, limits: DEFAULT_PRE_DISRUPTION_GATE_LIMITS }),
      );
      // With no `update`, @pulumi/command runs `create` on an update; `triggers` would replace the gate instead.
      assert.equal(gate.inputs.update, undefined);
      assert.equal(gate.inputs.delete, undefined);
      assert.equal(gate.inputs.triggers, undefined);
    }
  });
});

/** Each member's gate digest (its environment's MEMBER_INSTANCE_INPUTS_SHA256), in member order. */
function gateDigests(run: ProgramRun): string[] {
  return instancesInMemberOrder(run).map((instance) => {
    const environment = preDisruptionGateOf(run, instance).inputs.environment;
    assert.ok(isRecordedObject(environment));
    return recordedText(environment["MEMBER_INSTANCE_INPUTS_SHA256"]);
  });
}

describe("pre-disruption gates: what makes them run again (dev stack, two updates)", () => {
  let base: ProgramRun;
  before(async () => {
    base = await runProgram({ stack: "dev", preview: false });
  });

  it("an instance type change (a stop and start of every instance) changes every gate's environment", async () => {
    const changed = await runProgram({ stack: "dev", preview: false, configOverrides: { instanceType: "t4g.large" } });
    const [before, after] = [gateDigests(base), gateDigests(changed)];
    after.forEach((digest, index) => assert.notEqual(digest, before[index], `member ${index}`));
  });

  it("an etcd setting (new user data: every instance replaced) changes every gate's environment", async () => {
    const changed = await runProgram({ stack: "dev", preview: false, configOverrides: { tuning: { snapshotCount: 25000 } } });
    const [before, after] = [gateDigests(base), gateDigests(changed)];
    after.forEach((digest, index) => assert.notEqual(digest, before[index], `member ${index}`));
  });

  it("a change that leaves the instances alone (backup retention) leaves every gate alone", async () => {
    const changed = await runProgram({ stack: "dev", preview: false, configOverrides: { backup: { retentionDays: 9 } } });
    assert.deepEqual(gateDigests(changed), gateDigests(base));
  });
});
