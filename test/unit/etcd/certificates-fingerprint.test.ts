import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { certificatesFingerprint } from "../../../src/core/member/certificates-fingerprint";
import { certificatePem, memberCertificatePems } from "./fixtures";

const pems = memberCertificatePems("etcd-test-0");
const fingerprint = certificatesFingerprint(pems);

describe("certificates fingerprint", () => {
  test("is the sha256 of the CA, server and peer certificates, in that order", () => {
    const expected = createHash("sha256")
      .update(JSON.stringify([pems.caCertPem, pems.serverCertPem, pems.peerCertPem]))
      .digest("hex");
    assert.equal(fingerprint, `sha256:${expected}`);
  });

  for (const field of ["caCertPem", "serverCertPem", "peerCertPem"] as const) {
    test(`changes when the ${field} is re-issued`, () => {
      assert.notEqual(certificatesFingerprint({ ...pems, [field]: certificatePem(`renewed ${field}`) }), fingerprint);
    });
  }

  test("tells the server and peer certificates apart", () => {
    assert.notEqual(certificatesFingerprint({ ...pems, serverCertPem: pems.peerCertPem, peerCertPem: pems.serverCertPem }), fingerprint);
  });

  test("refuses a private key in place of a certificate", () => {
    const key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
    assert.throws(() => certificatesFingerprint({ ...pems, serverCertPem: key }), /certificate PEMs only/);
    assert.throws(() => certificatesFingerprint({ ...pems, peerCertPem: `${pems.peerCertPem}${key}` }), /certificate PEMs only/);
  });
});
