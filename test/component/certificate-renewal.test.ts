/**
 * Certificate renewal: a member fetches its certificates from SSM only when its instance boots, so
 * a re-issued certificate must change that member's user data (and so replace its instance behind
 * the health gates), and no other member's. The dev stack runs twice, the second time with one
 * member's server certificate re-issued, as @pulumi/tls does inside `earlyRenewalHours`.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, it } from "node:test";
import { memberCloudConfig } from "../../dev/mock-runtime/cloud-init-files";
import { memberFiles } from "../../dev/mock-runtime/received-files";
import { renderPlan } from "../../dev/plan/render-plan";
import { placeholderTls } from "../../dev/mock-runtime/placeholder-tls";
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { recordedText, SecretValue } from "../../dev/mock-runtime/recorded-value";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { TLS_TYPES, type TlsEmulator } from "../../dev/mock-runtime/tls-emulator";
import { byMember, resourcesOfType, TYPES } from "../support/resource-graph";

const STACK = "dev";
const RENEWED_CERTIFICATE = "etcd-dev-member-1-server";
const RENEWED_MEMBER = "etcd-dev-1";

/** The placeholder certificates, except that RENEWED_CERTIFICATE comes back re-issued. */
const renewingTls: TlsEmulator = {
  async create(type, name, inputs) {
    const state = await placeholderTls.create(type, name, inputs);
    if (type !== TLS_TYPES.locallySignedCert || name !== RENEWED_CERTIFICATE) return state;
    return { ...state, certPem: String(state.certPem).replace("OFFLINE PLACEHOLDER", "OFFLINE PLACEHOLDER, RENEWED") };
  },
};

/** Each member's decoded cloud-config, by member name. */
function cloudConfigsByMember(run: ProgramRun): Map<string, string> {
  return new Map([...byMember(run, TYPES.instance)].map(([member, [instance]]) => [member, memberCloudConfig(recordedText(instance.inputs.userDataBase64))]));
}

function changedLines(before: string, after: string): string[][] {
  const afterLines = after.split("\n");
  return before.split("\n").flatMap((line, index) => (line === afterLines[index] ? [] : [[line, afterLines[index]]]));
}

/** Every private key PEM the run's tls provider produced. */
function privateKeyPems(run: ProgramRun): string[] {
  return resourcesOfType(run, TLS_TYPES.privateKey).map((key: RecordedResource) => {
    const pem = key.state.privateKeyPem;
    return recordedText(pem instanceof SecretValue ? pem.value : pem);
  });
}

describe(`certificate renewal (stack ${STACK})`, () => {
  let original: ProgramRun | undefined;
  let renewed: ProgramRun | undefined;
  before(async () => {
    original = await runProgram({ stack: STACK, preview: false });
    renewed = await runProgram({ stack: STACK, preview: false, tls: renewingTls });
  });

  it("changes the user data of exactly the member whose certificate was re-issued", () => {
    const beforeRenewal = cloudConfigsByMember(original!);
    const afterRenewal = cloudConfigsByMember(renewed!);
    const changedMembers = [...beforeRenewal].filter(([member, cloudConfig]) => afterRenewal.get(member) !== cloudConfig).map(([member]) => member);
    assert.deepEqual(changedMembers, [RENEWED_MEMBER]);
  });

  it("changes only the certificates comment line of that member's cloud-config", () => {
    const changed = changedLines(cloudConfigsByMember(original!).get(RENEWED_MEMBER)!, cloudConfigsByMember(renewed!).get(RENEWED_MEMBER)!);
    assert.equal(changed.length, 1);
    for (const line of changed[0]) assert.match(line, /^# certificates: sha256:[0-9a-f]{64}$/);
  });

  it("shows the renewal in the offline plan as one changed certificates line, under that member", () => {
    const changed = changedLines(renderPlan(original!), renderPlan(renewed!)).filter(([line]) => line.startsWith("# certificates:"));
    assert.equal(changed.length, 1);
    const renewedPlan = renderPlan(renewed!).split("\n");
    const heading = renewedPlan.findIndex((line) => line.startsWith(`== member ${RENEWED_MEMBER} `));
    assert.equal(
      renewedPlan.slice(heading).find((line) => line.startsWith("# certificates:")),
      changed[0][1],
    );
  });

  it("keeps user data out of Pulumi secrets: the fingerprint is of public certificates", () => {
    for (const instance of resourcesOfType(renewed!, TYPES.instance)) assert.equal(typeof instance.inputs.userDataBase64, "string", instance.name);
  });

  it("puts no private key in any user data or bundle, neither as PEM nor as its sha256", () => {
    const keys = privateKeyPems(renewed!);
    assert.ok(keys.length > 0, "the run issued private keys");
    for (const [member, [instance]] of byMember(renewed!, TYPES.instance)) {
      const received =
        memberFiles(renewed!, instance)
          .map((file) => file.content)
          .join("\n") + memberCloudConfig(recordedText(instance.inputs.userDataBase64));
      assert.doesNotMatch(received, /PRIVATE KEY/, member);
      for (const key of keys) assert.ok(!received.includes(createHash("sha256").update(key).digest("hex")), `${member} holds a key's hash`);
    }
  });
});
