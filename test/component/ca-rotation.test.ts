/**
 * The staged CA rotation on the real program: the dev stack is deployed (an offline `pulumi up`
 * with real certificates, one remembering tls emulator standing for the stack's state), then taken
 * through `pki.caRotation` generation 1's three stages, each run reading the member instances the
 * previous one left in the fake account. What each stage must change, and leave alone, is what
 * lets members restart one at a time without two of them distrusting each other.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { before, describe, it } from "node:test";
import { instancesCreatedBy } from "../../dev/mock-runtime/fake-instances";
import { realTls } from "../../dev/mock-runtime/real-tls";
import { rememberingTls } from "../../dev/mock-runtime/remembering-tls";
import { SecretValue, type RecordedValue } from "../../dev/mock-runtime/recorded-value";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { TAG_KEYS } from "../../src/core/aws/tags";
import { CA_ROTATION_STAGES, type CaRotationStage } from "../../src/core/config/types";
import { resourcesOfType, TYPES } from "../support/resource-graph";

const STACK = "dev";

function plain(value: RecordedValue | undefined): string {
  const revealed = value instanceof SecretValue ? value.value : value;
  if (typeof revealed !== "string") throw new Error(`not a string: ${JSON.stringify(revealed)}`);
  return revealed;
}

/** The certificates of a PEM bundle, in order. */
function certificatesOf(bundle: string): X509Certificate[] {
  return (bundle.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []).map((pem) => new X509Certificate(pem));
}

/** Every certificate parameter of a member (server.crt, peer.crt), and the client certificates, by name. */
function leafCertificates(run: ProgramRun): Map<string, string> {
  const members = resourcesOfType(run, TYPES.parameter)
    .filter((parameter) => /\/members\/.*\.crt$/.test(plain(parameter.state.name)))
    .map((parameter) => [plain(parameter.state.name), plain(parameter.state.value)] as const);
  return new Map([...members, ["admin", plain(run.outputs.adminClientCertificate)], ["kube-apiserver", plain(run.outputs.kubeApiserverClientCertificate)]]);
}

function caParameter(run: ProgramRun): string {
  const [parameter] = resourcesOfType(run, TYPES.parameter).filter((candidate) => plain(candidate.state.name).endsWith("/ca.crt"));
  return plain(parameter.state.value);
}

function userData(run: ProgramRun): string[] {
  return resourcesOfType(run, TYPES.instance).map((instance) => plain(instance.inputs.userDataBase64));
}

function rotationTags(run: ProgramRun): (string | undefined)[] {
  return resourcesOfType(run, TYPES.instance).map((instance) => (instance.state.tags as Record<string, string>)[TAG_KEYS.caRotation]);
}

const subjectOf = (certificate: X509Certificate) => certificate.subject.split("\n").find((line) => line.startsWith("CN="));

describe(`CA rotation of a deployed stack (${STACK})`, () => {
  const tls = rememberingTls(realTls());
  const runs = new Map<CaRotationStage | "before", ProgramRun>();
  const at = (stage: CaRotationStage | "before") => runs.get(stage)!;
  before(async () => {
    let previous = await runProgram({ stack: STACK, preview: false, tls });
    runs.set("before", previous);
    for (const stage of CA_ROTATION_STAGES) {
      const caRotation = { generation: 1, stage };
      previous = await runProgram({ stack: STACK, preview: false, tls, configOverrides: { pki: { caRotation } }, existingInstances: instancesCreatedBy(previous) });
      runs.set(stage, previous);
    }
  });

  it("trust-both: members and clients trust the old CA and a new one; no leaf changes", () => {
    const [old, added] = certificatesOf(plain(at("trust-both").outputs.caCertificate));
    assert.equal(old.raw.equals(new X509Certificate(plain(at("before").outputs.caCertificate)).raw), true, "the old CA first, unchanged");
    assert.equal(subjectOf(added), "CN=etcd-dev etcd CA 1");
    assert.equal(caParameter(at("trust-both")), plain(at("trust-both").outputs.caCertificate));
    assert.deepEqual(leafCertificates(at("trust-both")), leafCertificates(at("before")));
  });

  it("reissue-leaves: every member and client certificate is re-issued by the new CA, both CAs still trusted", () => {
    const bundle = plain(at("reissue-leaves").outputs.caCertificate);
    assert.equal(bundle, plain(at("trust-both").outputs.caCertificate));
    const newCa = certificatesOf(bundle)[1];
    const before = leafCertificates(at("trust-both"));
    for (const [name, pem] of leafCertificates(at("reissue-leaves"))) {
      assert.notEqual(pem, before.get(name), `${name} re-issued`);
      assert.ok(new X509Certificate(pem).verify(newCa.publicKey), `${name} signed by the new CA`);
    }
  });

  it("drop-old-ca: only the new CA is trusted; the leaves stay", () => {
    const [only, ...rest] = certificatesOf(plain(at("drop-old-ca").outputs.caCertificate));
    assert.deepEqual(rest, []);
    assert.equal(subjectOf(only), "CN=etcd-dev etcd CA 1");
    assert.equal(caParameter(at("drop-old-ca")), plain(at("drop-old-ca").outputs.caCertificate));
    assert.deepEqual(leafCertificates(at("drop-old-ca")), leafCertificates(at("reissue-leaves")));
  });

  it("changes every member's user data at every stage, so each stage replaces every member behind the health gates", () => {
    const stages = ["before", ...CA_ROTATION_STAGES] as const;
    for (const [index, stage] of CA_ROTATION_STAGES.entries()) {
      const previous = userData(at(stages[index]));
      userData(at(stage)).forEach((data, member) => assert.notEqual(data, previous[member], `member ${member} at ${stage}`));
    }
  });

  it("tags every member instance with the stage its certificates belong to, and no instance before any rotation", () => {
    assert.deepEqual(rotationTags(at("before")), [undefined, undefined, undefined]);
    for (const stage of CA_ROTATION_STAGES) assert.deepEqual(rotationTags(at(stage)), Array(3).fill(`1/${stage}`));
  });

  it("refuses, before declaring any resource, a stage that skips one", async () => {
    const declared: string[] = [];
    await assert.rejects(
      runProgram({
        stack: STACK,
        preview: true,
        configOverrides: { pki: { caRotation: { generation: 1, stage: "drop-old-ca" } } },
        existingInstances: instancesCreatedBy(at("trust-both")),
        onResourceRequest: (type) => (type === "pulumi:pulumi:Stack" ? undefined : declared.push(type)),
      }),
      /etcd-cluster:pki\.caRotation is .*still run with \{ generation: 1, stage: trust-both \}.*set pki\.caRotation to \{ generation: 1, stage: reissue-leaves \} first/,
    );
    assert.deepEqual(declared, []);
  });
});
