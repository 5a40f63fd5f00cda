/**
 * Member instances: the configured type, reachable only inside the VPC, instance metadata only
 * with IMDSv2 session tokens, replaced delete-before-replace so the replacement can take over the
 * member's ENI and volumes, and rolled out behind the previous member's health gate.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import type { RecordedResource } from "../../dev/mock-runtime/run-record";
import { isRecordedObject } from "../../dev/mock-runtime/recorded-value";
import { byMember, inputComesFrom, resourcesOfType, TYPES } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";

describeEachStackRun("instances", ({ config, run }) => {
  const instances = () => resourcesOfType(run(), TYPES.instance);

  it("runs every member on the configured instance type", () => {
    for (const instance of instances()) assert.equal(instance.inputs.instanceType, config.instanceType, instance.name);
  });

  it("requires IMDSv2 session tokens on every instance", () => {
    for (const instance of instances()) {
      const metadata = instance.inputs.metadataOptions;
      assert.ok(isRecordedObject(metadata), `${instance.name} sets metadataOptions`);
      assert.equal(metadata.httpTokens, "required", instance.name);
    }
  });

  it("gives no instance a public IP address", () => {
    for (const instance of instances()) {
      assert.notEqual(instance.inputs.associatePublicIpAddress, true, instance.name);
      // An instance started on an existing ENI gets a public address only if that ENI has one.
      assert.equal(instance.inputs.networkInterfaces, undefined, `${instance.name} creates no interface at launch`);
      assert.ok(isRecordedObject(instance.inputs.primaryNetworkInterface), `${instance.name} starts on an existing ENI`);
    }
  });

  it("replaces every instance delete-before-replace", () => {
    for (const instance of instances()) assert.equal(instance.options.deleteBeforeReplace, true, instance.name);
  });

  it("rolls out one member at a time: each instance waits for the previous member's health gate", () => {
    const inMemberOrder = [...byMember(run(), TYPES.instance).values()].map(([instance]) => instance);
    const gates = resourcesOfType(run(), TYPES.localCommand);
    const gateOf = (instance: RecordedResource) => gates.filter((gate) => inputComesFrom(gate, "environment", instance));
    inMemberOrder.forEach((instance, index) => {
      assert.equal(gateOf(instance).length, 1, `one health gate watches ${instance.name}`);
      const previous = inMemberOrder[index - 1];
      if (previous !== undefined) {
        assert.ok(instance.options.dependsOn.includes(gateOf(previous)[0].urn), `${instance.name} waits for ${previous.name}'s gate`);
      }
    });
  });
});
