/**
 * The order in which the sequence drill applies an update (dev/sequence-drill/update-steps.ts),
 * judged on offline runs of the dev stack: a change re-rendering every member replaces them one at
 * a time (attachments, then the instance, deleted; the new instance, its attachments, its gate),
 * each member behind the previous one's gate; a shrink removes the highest member first, each
 * removal before its instance; the first up creates everything.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { updateSteps, type UpdateStep } from "../../dev/sequence-drill/update-steps";

const devRun = (config: Readonly<Record<string, unknown>>) => runProgram({ stack: "dev", preview: false, configOverrides: config });
const EMPTY: ProgramRun = { stack: "dev", preview: false, resources: [], outputs: {}, diagnostics: [], invokes: [] };

/** `operation name` of the steps touching member instances, attachments, gates and removals. */
function memberSteps(steps: readonly UpdateStep[]): string[] {
  return steps
    .filter((step) => /-member-\d+-(instance|data-attachment|wal-attachment|health-gate|removal)$/.test(step.resource.name))
    .map((step) => `${step.operation} ${step.resource.name.replace(/^etcd-dev-member-/, "")}`);
}

describe("the steps of an update, as the drill applies them", () => {
  let three: ProgramRun;
  let five: ProgramRun;
  let retuned: ProgramRun;
  before(async () => {
    three = await devRun({ members: 3 });
    five = await devRun({ members: 5 });
    retuned = await devRun({ members: 3, tuning: { snapshotCount: 20000 } });
  });

  it("replaces each member delete-before-replace, behind the previous member's gate", () => {
    const perMember = (index: number) => [
      `delete ${index}-wal-attachment`,
      `delete ${index}-data-attachment`,
      `delete ${index}-instance`,
      `create ${index}-instance`,
      `create ${index}-data-attachment`,
      `create ${index}-wal-attachment`,
      `update ${index}-health-gate`,
    ];
    assert.deepEqual(memberSteps(updateSteps(three, retuned)), [...perMember(0), ...perMember(1), ...perMember(2)]);
  });

  it("never deletes a removal or the next member's instance with a replaced instance (dependsOn alone)", () => {
    const deleted = updateSteps(three, retuned)
      .filter((step) => step.operation === "delete")
      .map((step) => step.resource.name);
    assert.deepEqual(
      deleted.filter((name) => name.endsWith("-removal")),
      [],
    );
    assert.equal(new Set(deleted).size, deleted.length, "each resource deleted once");
  });

  it("shrinks 5 → 3 by removing member 4, then member 3, each from the cluster before its instance goes", () => {
    const steps = memberSteps(updateSteps(five, three)).filter((step) => /^delete [34]-/.test(step));
    assert.deepEqual(
      steps.filter((step) => /removal|instance/.test(step)),
      ["delete 4-removal", "delete 4-instance", "delete 3-removal", "delete 3-instance"],
    );
  });

  it("creates everything on the first up, member by member", () => {
    const steps = updateSteps(EMPTY, three);
    assert.ok(steps.every((step) => step.operation === "create"));
    assert.equal(steps.length, three.resources.filter((resource) => resource.custom).length);
    const gates = memberSteps(steps).filter((step) => /instance|gate/.test(step));
    assert.deepEqual(gates, ["create 0-instance", "create 0-health-gate", "create 1-instance", "create 1-health-gate", "create 2-instance", "create 2-health-gate"]);
  });
});
