/**
 * The offline runtime itself (dev/mock-runtime), judged on the fixture program: it records what the
 * engine would see, answers like providers in an update and like the engine in a preview, keeps
 * secrets secret, and fails loudly where the real run would fail.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { SecretValue, UNKNOWN } from "../../dev/mock-runtime/recorded-value";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { FIXTURE_REGION, runFixture } from "../support/fixture-runs";

function named(run: ProgramRun, name: string): RecordedResource {
  const found = run.resources.find((resource) => resource.name === name);
  if (found === undefined) throw new Error(`the fixture declares no ${name}`);
  return found;
}

describe("offline runtime", () => {
  it("records the options the program set on each resource", async () => {
    const run = await runFixture();
    const volume = named(run, "data");
    assert.deepEqual([volume.options.protect, volume.options.retainOnDelete], [true, true]);
    assert.equal(named(run, "instance").options.deleteBeforeReplace, true);
    assert.deepEqual(named(run, "instance").options.dependsOn, [volume.urn]);
  });

  it("marks the outputs a provider declares secret, and everything made from them", async () => {
    const run = await runFixture();
    assert.ok(named(run, "key").state.privateKeyPem instanceof SecretValue, "the key's state");
    assert.ok(named(run, "key-parameter").inputs.value instanceof SecretValue, "the parameter taking the key");
    assert.ok(run.outputs.privateKeyPem instanceof SecretValue, "the stack output");
    assert.equal(typeof run.outputs.certificatePem, "string", "a certificate stays plaintext");
  });

  it("places the resources of a subnet in that subnet's zone", async () => {
    const run = await runFixture();
    assert.equal(named(run, "data").inputs.availabilityZone, `${FIXTURE_REGION}b`);
    assert.equal(named(run, "instance").state.availabilityZone, `${FIXTURE_REGION}b`);
  });

  it("gives an ENI that requests no address the one memberAddress returns", async () => {
    const run = await runFixture({ memberAddress: () => "127.0.0.7" });
    assert.equal(run.outputs.address, "127.0.0.7");
    assert.equal(named(run, "eni").state.privateDnsName, `ip-127-0-0-7.${FIXTURE_REGION}.compute.internal`);
  });

  it("answers a preview with the inputs and leaves computed outputs unknown", async () => {
    const run = await runFixture({ preview: true });
    assert.equal(named(run, "data").inputs.availabilityZone, `${FIXTURE_REGION}b`, "invokes are answered in a preview");
    assert.equal(named(run, "eni").id, undefined);
    assert.equal(named(run, "eni").state.privateIp, undefined, "a computed output is absent from the state");
    assert.equal(named(run, "instance").inputs.userData, UNKNOWN, "and unknown where the program uses it");
    assert.equal(run.outputs.address, UNKNOWN);
  });

  it("gives the same IDs to the same resources on every run", async () => {
    const ids = (run: ProgramRun) => run.resources.map((resource) => `${resource.name}=${resource.id ?? ""}`);
    assert.deepEqual(ids(await runFixture()), ids(await runFixture()));
  });

  it("evaluates the program afresh on every run", async () => {
    assert.equal(named(await runFixture({ config: { "fixture:sizeGiB": "20" } }), "data").inputs.size, 20);
    assert.equal(named(await runFixture({ config: { "fixture:sizeGiB": "30" } }), "data").inputs.size, 30);
  });

  it("collects what the program logs through pulumi.log", async () => {
    const run = await runFixture();
    assert.deepEqual(run.diagnostics, [{ severity: "warning", message: "fixture: a warning for the diagnostics" }]);
  });

  it("applies config overrides over the stack file", async () => {
    const run = await runProgram({ stack: "dev", preview: true, configOverrides: { members: 5 } });
    assert.equal(run.resources.filter((resource) => resource.type === "aws:ec2/instance:Instance").length, 5);
  });

  it("fails the run with the program's own error when the config is invalid", async () => {
    await assert.rejects(runProgram({ stack: "dev", preview: true, configOverrides: { members: 4 } }), /etcd-cluster:members is 4/);
  });

  it("fails the run when the program makes an invoke nobody mocked, naming its token", async () => {
    await assert.rejects(runFixture({ config: { "fixture:lookUpVpc": "true" } }), /no mock for invoke aws:ec2\/getVpc:getVpc/);
  });
});
