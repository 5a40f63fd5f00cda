import "reflect-metadata";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { realTls } from "../../../dev/mock-runtime/real-tls";
import { TLS_TYPES, type TlsProperties } from "../../../dev/mock-runtime/tls-emulator";

const tls = realTls();

async function privateKey(inputs: TlsProperties): Promise<string> {
  const state = await tls.create(TLS_TYPES.privateKey, "key", inputs);
  return String(state["privateKeyPem"]);
}

async function certificateAuthority(commonName: string): Promise<{ keyPem: string; certPem: string }> {
  const keyPem = await privateKey({ algorithm: "ECDSA", ecdsaCurve: "P256" });
  const state = await tls.create(TLS_TYPES.selfSignedCert, "ca", {
    privateKeyPem: keyPem,
    subject: { commonName, organization: "etcd-test" },
    isCaCertificate: true,
    validityPeriodHours: 24,
    allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
  });
  return { keyPem, certPem: String(state["certPem"]) };
}

async function signedLeaf(ca: { keyPem: string; certPem: string }, request: TlsProperties, allowedUses: string[]): Promise<TlsProperties> {
  const keyPem = await privateKey({ algorithm: "ECDSA", ecdsaCurve: "P384" });
  const csr = await tls.create(TLS_TYPES.certRequest, "csr", { privateKeyPem: keyPem, ...request });
  return tls.create(TLS_TYPES.locallySignedCert, "leaf", {
    certRequestPem: csr["certRequestPem"],
    caPrivateKeyPem: ca.keyPem,
    caCertPem: ca.certPem,
    validityPeriodHours: 48,
    allowedUses,
  });
}

const peerRequest = {
  subject: { commonName: "etcd-dev-0" },
  dnsNames: ["ip-10-0-1-11.ec2.internal"],
  ipAddresses: ["10.0.1.11"],
};
const peerUses = ["digital_signature", "key_encipherment", "server_auth", "client_auth"];

describe("realTls private keys", () => {
  it("writes an ECDSA key as SEC 1 PEM on the requested curve, with PKCS #8 and public PEMs beside it", async () => {
    const state = await tls.create(TLS_TYPES.privateKey, "k", { algorithm: "ECDSA", ecdsaCurve: "P384" });
    assert.match(String(state["privateKeyPem"]), /^-----BEGIN EC PRIVATE KEY-----/);
    assert.match(String(state["privateKeyPemPkcs8"]), /^-----BEGIN PRIVATE KEY-----/);
    assert.match(String(state["publicKeyPem"]), /^-----BEGIN PUBLIC KEY-----/);
    assert.equal(createPrivateKey(String(state["privateKeyPem"])).asymmetricKeyDetails?.namedCurve, "secp384r1");
  });

  it("writes an RSA key as PKCS #1 PEM with the requested modulus length", async () => {
    const state = await tls.create(TLS_TYPES.privateKey, "k", { algorithm: "RSA", rsaBits: 3072 });
    assert.match(String(state["privateKeyPem"]), /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal(createPrivateKey(String(state["privateKeyPem"])).asymmetricKeyDetails?.modulusLength, 3072);
  });

  it("refuses ECDSA P224, named explicitly or left as the provider default, because Go's TLS cannot use it", async () => {
    await assert.rejects(tls.create(TLS_TYPES.privateKey, "k", { algorithm: "ECDSA", ecdsaCurve: "P224" }), /P224.*Go's TLS/);
    await assert.rejects(tls.create(TLS_TYPES.privateKey, "k", { algorithm: "ECDSA" }), /P224 \(the provider default\)/);
  });
});

describe("realTls certificates", () => {
  it("makes a CA certificate with basic constraints CA:true, cert signing and a subject key ID", async () => {
    const ca = new x509.X509Certificate((await certificateAuthority("etcd-dev CA")).certPem);
    assert.equal(ca.getExtension(x509.BasicConstraintsExtension)?.ca, true);
    const usages = ca.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
    assert.ok(usages & x509.KeyUsageFlags.keyCertSign);
    assert.ok(ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
    assert.equal(ca.subject, "O=etcd-test, CN=etcd-dev CA");
  });

  it("carries the requested extended key usages and SANs from the request into the signed certificate", async () => {
    const state = await signedLeaf(await certificateAuthority("CA"), peerRequest, peerUses);
    const cert = new x509.X509Certificate(String(state["certPem"]));
    assert.deepEqual([...(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [])], [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]);
    assert.equal(cert.getExtension(x509.KeyUsagesExtension)?.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    assert.deepEqual(cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON(), [
      { type: "dns", value: "ip-10-0-1-11.ec2.internal" },
      { type: "ip", value: "10.0.1.11" },
    ]);
    assert.equal(cert.getExtension(x509.BasicConstraintsExtension)?.ca, false);
    assert.equal(cert.subject, "CN=etcd-dev-0");
  });

  it("gives a client-only certificate the clientAuth usage and nothing else", async () => {
    const state = await signedLeaf(await certificateAuthority("CA"), { subject: { commonName: "admin" } }, ["client_auth"]);
    const cert = new x509.X509Certificate(String(state["certPem"]));
    assert.deepEqual([...(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [])], [x509.ExtendedKeyUsage.clientAuth]);
    assert.equal(cert.getExtension(x509.SubjectAlternativeNameExtension), null);
  });

  it("signs with the declared CA key: the chain verifies against that CA and not against another", async () => {
    const ca = await certificateAuthority("CA");
    const stranger = await certificateAuthority("CA");
    const leaf = new X509Certificate(String((await signedLeaf(ca, peerRequest, peerUses))["certPem"]));
    const caCert = new X509Certificate(ca.certPem);
    assert.equal(leaf.checkIssued(caCert), true);
    assert.equal(leaf.verify(caCert.publicKey), true);
    assert.equal(leaf.verify(new X509Certificate(stranger.certPem).publicKey), false);
    assert.equal(leaf.issuer, caCert.subject);
  });

  it("reports the validity window it wrote into the certificate, validityPeriodHours long", async () => {
    const state = await signedLeaf(await certificateAuthority("CA"), peerRequest, peerUses);
    const cert = new X509Certificate(String(state["certPem"]));
    assert.equal(new Date(cert.validFrom).getTime(), Date.parse(String(state["validityStartTime"])));
    assert.equal(new Date(cert.validTo).getTime(), Date.parse(String(state["validityEndTime"])));
    assert.equal(Date.parse(String(state["validityEndTime"])) - Date.parse(String(state["validityStartTime"])), 48 * 3_600_000);
  });

  it("refuses an allowedUses name the tls provider does not know", async () => {
    await assert.rejects(signedLeaf(await certificateAuthority("CA"), peerRequest, ["server_auth", "serverAuth"]), /serverAuth not known/);
  });
});
