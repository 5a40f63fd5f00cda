/**
 * How the offline plan prints a run (dev/plan), judged on the fixture program: secrets
 * and PEM material masked, IDs replaced by the resources they name, options visible, stable text.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderPlan } from "../../dev/plan/render-plan";
import { revealSecrets, type RecordedProperties } from "../../dev/mock-runtime/recorded-value";
import { runFixture } from "../support/fixture-runs";

describe("offline plan", () => {
  it("prints secrets as [secret] and certificates as [certificate], never PEM text", async () => {
    const plan = renderPlan(await runFixture());
    assert.match(plan, /^privateKeyPem: \[secret\]$/m);
    assert.match(plan, /^certificatePem: \[certificate\]$/m);
    assert.doesNotMatch(plan, /-----BEGIN/);
  });

  it("flags a private key that reached the plan outside a secret", async () => {
    const run = await runFixture();
    const leaking = { ...run, outputs: revealSecrets(run.outputs) as RecordedProperties };
    assert.match(renderPlan(leaking), /^privateKeyPem: \[PRIVATE KEY IN PLAINTEXT\]$/m);
  });

  it("names the resource in place of an ID the program passes on", async () => {
    assert.match(renderPlan(await runFixture()), /^ +primaryNetworkInterface\.networkInterfaceId: <id of eni>$/m);
  });

  it("shows protect, retainOnDelete, deleteBeforeReplace and dependsOn next to the resource", async () => {
    const plan = renderPlan(await runFixture());
    assert.match(plan, /^ +aws:ebs\/volume:Volume data +\[protect, retainOnDelete\]$/m);
    assert.match(plan, /^ +aws:ec2\/instance:Instance instance +\[deleteBeforeReplace, dependsOn: data\]$/m);
  });

  it("prints the same plan for the same program and config", async () => {
    assert.equal(renderPlan(await runFixture()), renderPlan(await runFixture()));
  });
});
