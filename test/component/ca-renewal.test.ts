/**
 * The CA never renews itself (issue 13, defect 8). Members trust only the CA in their `ca.crt`,
 * so a CA re-issued by an `up` splits the cluster mid-rollout: the members already restarted trust
 * only the new CA, the others only the old one, and peers of the two cannot talk. The dev stack is
 * deployed, then deployed again at a time inside the renewal window the leaves use
 * (`pki.earlyRenewalHours` before the CA's expiry), with the tls provider's renewal rule applied
 * to every certificate in state (dev/sequence-drill/renewal-clock-tls.ts). The CA must come out unchanged;
 * the leaves, expired by then, are re-issued by that same CA.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { before, describe, it } from "node:test";
import { realTls } from "../../dev/mock-runtime/real-tls";
import { isRecordedObject, SecretValue, type RecordedValue } from "../../dev/mock-runtime/recorded-value";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { renewingTls, type RenewalClock } from "../../dev/sequence-drill/renewal-clock-tls";
import { DEFAULT_PKI } from "../../src/core/config/defaults";
import { resourcesOfType, TYPES } from "../support/resource-graph";

const STACK = "dev";
const HOUR_MS = 3_600_000;

function plain(value: RecordedValue | undefined): string {
  const revealed = value instanceof SecretValue ? value.value : value;
  if (typeof revealed !== "string") throw new Error(`not a string: ${JSON.stringify(revealed)}`);
  return revealed;
}

/** SSM parameter values by parameter name: the certificates and keys (the member list is an `insecureValue`, no `value`). */
function parameters(run: ProgramRun): Map<string, string> {
  return new Map(
    resourcesOfType(run, TYPES.parameter)
      .filter((parameter) => parameter.state.value !== undefined)
      .map((parameter) => [plain(parameter.state.name), plain(parameter.state.value)]),
  );
}

function caExpiry(run: ProgramRun): Date {
  const expiries = run.outputs.certificateExpiries;
  if (!isRecordedObject(expiries)) throw new Error("certificateExpiries is not an object");
  return new Date(plain(expiries.ca));
}

describe(`the CA inside the leaves' renewal window (stack ${STACK})`, () => {
  const clock: RenewalClock = { hoursAhead: 0 };
  const tls = renewingTls(realTls(), clock);
  let deployed: ProgramRun | undefined;
  let later: ProgramRun | undefined;
  before(async () => {
    deployed = await runProgram({ stack: STACK, preview: false, tls });
    // A day before the CA expires: inside the window of DEFAULT_PKI.earlyRenewalHours (30 days).
    clock.hoursAhead = (caExpiry(deployed).getTime() - Date.now()) / HOUR_MS - 24;
    assert.ok(24 < DEFAULT_PKI.earlyRenewalHours);
    later = await runProgram({ stack: STACK, preview: false, tls });
  });

  it("keeps the CA certificate of the caCertificate output", () => {
    assert.equal(plain(later!.outputs.caCertificate), plain(deployed!.outputs.caCertificate));
  });

  it("keeps the CA every member trusts (the CA parameter)", () => {
    const caParameters = (run: ProgramRun) => [...parameters(run)].filter(([name]) => name.endsWith("/ca.crt"));
    assert.deepEqual(caParameters(later!), caParameters(deployed!));
  });

  it("re-issues the expired member certificates from that same CA", () => {
    const ca = new X509Certificate(plain(deployed!.outputs.caCertificate));
    const before = parameters(deployed!);
    const servers = [...parameters(later!)].filter(([name]) => name.endsWith("/server.crt"));
    assert.ok(servers.length > 0);
    for (const [name, pem] of servers) {
      assert.notEqual(pem, before.get(name), `${name} re-issued`);
      assert.ok(new X509Certificate(pem).verify(ca.publicKey), `${name} signed by the deployed CA`);
    }
  });
});
