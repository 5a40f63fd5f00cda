/**
 * Changing `members` on a running cluster: growing 3 → 5 declares only the new members' resources
 * and leaves the existing members' identity (ENIs, volumes) exactly as it was; every member has a
 * removal command that runs, before its instance is deleted, when a shrink drops it.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { peerUrl } from "../../src/core/member/endpoints";
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { creationOrder } from "../../dev/mock-runtime/dependency-order";
import { runChanges } from "../../dev/plan/run-changes";
import { resourcesOfType, TYPES } from "../support/resource-graph";
import { recordedText } from "../../dev/mock-runtime/recorded-value";

const STACK = "dev";
const urns = (run: ProgramRun) => new Set(run.resources.map((resource) => resource.urn));
const named = (run: ProgramRun, name: string): RecordedResource => {
  const found = run.resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource ${name}`);
  return found;
};

describe("resizing the dev stack from 3 to 5 members", () => {
  let three: ProgramRun;
  let five: ProgramRun;
  before(async () => {
    // One run at a time: the Pulumi SDK keeps one global run state.
    three = await runProgram({ stack: STACK, preview: false, configOverrides: { members: 3 } });
    five = await runProgram({ stack: STACK, preview: false, configOverrides: { members: 5 } });
  });

  it("adds exactly the resources of members 3 and 4 and removes none", () => {
    const added = [...urns(five)].filter((urn) => !urns(three).has(urn));
    const removed = [...urns(three)].filter((urn) => !urns(five).has(urn));
    assert.deepEqual(removed, []);
    const addedNames = five.resources.filter((resource) => added.includes(resource.urn)).map((resource) => resource.name);
    assert.deepEqual(
      addedNames.filter((name) => !/-member-[34]-/.test(name)),
      [],
    );
    for (const index of [3, 4]) {
      for (const part of ["instance", "data", "wal", "eni", "health-gate", "removal"]) {
        assert.ok(
          addedNames.some((name) => name.endsWith(`-member-${index}-${part}`)),
          `member ${index} has no new ${part}`,
        );
      }
    }
  });

  it("keeps members 0-2's ENIs and volumes: same names, IDs, inputs and addresses", () => {
    const kept = [...resourcesOfType(three, TYPES.networkInterface), ...resourcesOfType(three, TYPES.volume)];
    assert.equal(kept.length, 9, "3 ENIs and 6 volumes");
    for (const before of kept) {
      const after = named(five, before.name);
      assert.equal(after.urn, before.urn);
      assert.equal(after.id, before.id, `${before.name} keeps its ID`);
      assert.deepEqual(after.inputs, before.inputs, `${before.name} keeps its inputs, so nothing replaces it`);
      assert.equal(after.state["privateIp"], before.state["privateIp"], `${before.name} keeps its address`);
    }
  });

  it("declares per member a removal that runs only on delete, after the next member's removal, before its instance goes", () => {
    const removals = resourcesOfType(five, TYPES.localCommand).filter((command) => command.name.endsWith("-removal"));
    assert.deepEqual(
      removals.map((command) => command.name),
      [0, 1, 2, 3, 4].map((index) => `etcd-dev-member-${index}-removal`),
    );
    removals.forEach((removal, index) => {
      assert.equal(removal.inputs["create"], undefined, "nothing runs when the member is created");
      const instance = named(five, `etcd-dev-member-${index}-instance`);
      const expected = [instance.urn, ...(index === 0 ? [] : [removals[index - 1].urn])].sort();
      assert.deepEqual(removal.options.dependsOn, expected);
      assert.deepEqual(
        Object.keys(removal.inputDependencies).filter((input) => removal.inputDependencies[input].includes(instance.urn)),
        [],
        "no input of the instance's: its replacement never deletes the removal",
      );
    });
  });

  it("the removal of member 4 names its peer URL and runs on the first member", () => {
    const script = recordedText(named(five, "etcd-dev-member-4-removal").inputs["delete"]);
    const eni = named(five, "etcd-dev-member-4-eni");
    assert.ok(script.includes(`'${peerUrl(recordedText(eni.state["privateIp"]))}'`), "the peer URL of member 4");
    assert.ok(script.includes("Name=tag:etcd:member,Values=etcd-dev-0"), "runs on etcd-dev-0");
  });
});

describe("the member list parameter: a destroy deletes it before any removal, a shrink only updates it", () => {
  let three: ProgramRun;
  let five: ProgramRun;
  before(async () => {
    three = await runProgram({ stack: STACK, preview: false, configOverrides: { members: 3 } });
    five = await runProgram({ stack: STACK, preview: false, configOverrides: { members: 5 } });
  });
  const memberList = (run: ProgramRun) => named(run, "etcd-dev-param-member-names");

  it("names the declared members in a StringList under the cluster's parameter path", () => {
    assert.deepEqual(
      [memberList(five).inputs.name, memberList(five).inputs.type, memberList(five).inputs.insecureValue],
      ["/etcd/etcd-dev/member-names", "StringList", "etcd-dev-0,etcd-dev-1,etcd-dev-2,etcd-dev-3,etcd-dev-4"],
    );
  });

  it("comes before every removal in the order pulumi destroy deletes (dependents first)", () => {
    const deletion = creationOrder(five)
      .reverse()
      .map((resource) => resource.name);
    const removals = resourcesOfType(five, TYPES.localCommand).filter((command) => command.name.endsWith("-removal"));
    assert.equal(removals.length, 5);
    for (const removal of removals) {
      assert.ok(deletion.indexOf("etcd-dev-param-member-names") < deletion.indexOf(removal.name), `${removal.name} is deleted before the member list`);
    }
  });

  it("is updated in place, not deleted, when the cluster shrinks 5 → 3, while the removals of members 3 and 4 are deleted", () => {
    const changes = runChanges(five, three);
    assert.deepEqual(
      changes.updated.filter((change) => change.resource.name === "etcd-dev-param-member-names").map((change) => change.because),
      [["insecureValue"]],
    );
    assert.deepEqual(
      changes.deleted.map((resource) => resource.name).filter((name) => name.endsWith("-removal")),
      ["etcd-dev-member-4-removal", "etcd-dev-member-3-removal"],
    );
    assert.ok(!changes.deleted.some((resource) => resource.name === "etcd-dev-param-member-names"));
  });
});
