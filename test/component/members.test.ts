/**
 * The member set: as many members as configured, spread round-robin over the subnets, each with
 * its own network interface, instance, volumes and secrets, none of them shared with another member.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { memberName } from "../../src/core/etcd/topology";
import { recordedText, SecretValue } from "../../dev/mock-runtime/recorded-value";
import { byMember, inputComesFrom, resourcesOfType, TYPES } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";

describeEachStackRun("members", ({ config, run }) => {
  const expectedMembers = Array.from({ length: config.members }, (_, index) => memberName(config.clusterName, index));

  it("declares one instance per configured member", () => {
    assert.deepEqual([...byMember(run(), TYPES.instance).keys()], [...expectedMembers].sort());
    assert.equal(resourcesOfType(run(), TYPES.instance).length, config.members);
  });

  it("gives every member exactly one network interface of its own", () => {
    const interfaces = byMember(run(), TYPES.networkInterface);
    assert.deepEqual([...interfaces.keys()], [...expectedMembers].sort());
    for (const [member, own] of interfaces) assert.equal(own.length, 1, `${member} has ${own.length} ENIs`);
  });

  it("spreads the members round-robin over the subnets", () => {
    const interfaces = byMember(run(), TYPES.networkInterface);
    expectedMembers.forEach((member, index) => {
      const subnetId = interfaces.get(member)?.[0]?.inputs.subnetId;
      assert.equal(subnetId, config.subnetIds[index % config.subnetIds.length], `subnet of ${member}`);
    });
  });

  it("starts every instance on its own member's network interface", () => {
    const interfaces = byMember(run(), TYPES.networkInterface);
    for (const [member, [instance]] of byMember(run(), TYPES.instance)) {
      const [ownInterface] = interfaces.get(member) ?? [];
      assert.ok(instance && ownInterface, `${member} has an instance and an ENI`);
      assert.ok(inputComesFrom(instance, "primaryNetworkInterface", ownInterface), `${member}'s instance uses ${ownInterface.name}`);
    }
  });

  it("keeps every member's secret parameters under that member's own path", () => {
    const parameters = byMember(run(), TYPES.parameter);
    assert.deepEqual([...parameters.keys()], [...expectedMembers].sort());
    for (const [member, own] of parameters) {
      const ownPath = `/etcd/${config.clusterName}/members/${member}/`;
      for (const parameter of own) {
        assert.ok(recordedText(parameter.inputs.name).startsWith(ownPath), `${recordedText(parameter.inputs.name)} is under ${ownPath}`);
      }
    }
  });

  it("issues every member its own private keys", () => {
    const keyValues = resourcesOfType(run(), TYPES.parameter)
      .filter((parameter) => recordedText(parameter.inputs.name).endsWith(".key"))
      .map((parameter) => parameter.inputs.value);
    assert.equal(keyValues.length, 2 * config.members, "a server key and a peer key per member");
    const known = keyValues.filter((value) => value instanceof SecretValue && typeof value.value === "string");
    const distinct = new Set(known.map((value) => (value as SecretValue).value));
    assert.equal(distinct.size, known.length, "no key is delivered to two members or twice");
  });
});
