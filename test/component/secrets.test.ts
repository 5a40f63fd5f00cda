/**
 * Key material: private keys exist only as secrets (in state and in the SSM SecureString
 * parameters that deliver them to members), never in plaintext inputs, state, tags, user data or
 * stack outputs.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { type FoundString, plaintextStrings, recordedText, SecretValue } from "../../dev/mock-runtime/recorded-value";
import { byMember, TYPES } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";

const PRIVATE_KEY = /PRIVATE KEY/;

/** Every plaintext string of the run, located as `<resource> inputs.<path>`, `<resource> state.<path>` or `outputs.<path>`. */
function everyPlaintextString(run: ProgramRun): FoundString[] {
  return [
    ...run.resources.flatMap((resource) => [
      ...plaintextStrings(resource.inputs, `${resource.name} inputs`),
      ...plaintextStrings(resource.state, `${resource.name} state`),
    ]),
    ...plaintextStrings(run.outputs, "outputs"),
  ];
}

describeEachStackRun("secrets", ({ mode, run }) => {
  it("shows no private key outside a secret: inputs, state, tags, user data and outputs", () => {
    const leaks = everyPlaintextString(run()).filter(({ text }) => PRIVATE_KEY.test(text));
    assert.deepEqual(
      leaks.map(({ path }) => path),
      [],
    );
  });

  it("delivers every member's private keys as secret SecureString parameters", () => {
    for (const [member, parameters] of byMember(run(), TYPES.parameter)) {
      const keys = parameters.filter((parameter) => recordedText(parameter.inputs.name).endsWith(".key"));
      assert.equal(keys.length, 2, `${member}: a server key and a peer key`);
      for (const key of keys) {
        assert.equal(key.inputs.type, "SecureString", key.name);
        assert.ok(key.inputs.value instanceof SecretValue, `${key.name} value is secret`);
        if (mode === "update") assert.match(recordedText(key.inputs.value.value), PRIVATE_KEY, `${key.name} holds a private key`);
      }
    }
  });
});
