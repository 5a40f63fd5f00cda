/**
 * A client identity from a CA the cluster does not know: a valid certificate, for the right
 * purpose (clientAuth), issued by a stranger. Made with the same real-crypto tls emulator the
 * program's certificates come from.
 */
import { realTls } from "../../../dev/mock-runtime/real-tls";
import { TLS_TYPES } from "../../../dev/mock-runtime/tls-emulator";
import type { TlsIdentity } from "../../../dev/local-cluster/blueprint";

const VALIDITY_HOURS = 1;

/** A client certificate and key signed by a fresh CA; `caPem` is that foreign CA. */
export async function foreignClientIdentity(): Promise<TlsIdentity> {
  const tls = realTls();
  const newKey = async (name: string) => String((await tls.create(TLS_TYPES.privateKey, name, { algorithm: "ECDSA", ecdsaCurve: "P256" }))["privateKeyPem"]);
  const caKeyPem = await newKey("foreign-ca");
  const ca = await tls.create(TLS_TYPES.selfSignedCert, "foreign-ca", {
    privateKeyPem: caKeyPem,
    subject: { commonName: "foreign CA" },
    isCaCertificate: true,
    validityPeriodHours: VALIDITY_HOURS,
    allowedUses: ["cert_signing", "digital_signature"],
  });
  const keyPem = await newKey("foreign-client");
  const request = await tls.create(TLS_TYPES.certRequest, "foreign-client", { privateKeyPem: keyPem, subject: { commonName: "admin" } });
  const cert = await tls.create(TLS_TYPES.locallySignedCert, "foreign-client", {
    certRequestPem: request["certRequestPem"],
    caPrivateKeyPem: caKeyPem,
    caCertPem: ca["certPem"],
    validityPeriodHours: VALIDITY_HOURS,
    allowedUses: ["digital_signature", "client_auth"],
  });
  return { caPem: String(ca["certPem"]), certPem: String(cert["certPem"]), keyPem };
}
