import { createHash } from "node:crypto";

/** The public certificates a member runs with, as PEM; never a private key. */
export interface MemberCertificatePems {
  /** The cluster CA certificate (the member's trusted CA pool). */
  readonly caCertPem: string;
  /** The member's server certificate (`cert-file`). */
  readonly serverCertPem: string;
  /** The member's peer certificate (`peer-cert-file`). */
  readonly peerCertPem: string;
}

const CERTIFICATE_PEM_START = "-----BEGIN CERTIFICATE-----";

/**
 * `sha256:<hex>` over the member's CA, server and peer certificates: changes whenever any of them
 * is re-issued (early renewal), and says nothing the certificates do not already make public.
 * Refuses anything but certificates, so a private key can never leak into user data as a hash.
 */
export function certificatesFingerprint(pems: MemberCertificatePems): string {
  const ordered = [pems.caCertPem, pems.serverCertPem, pems.peerCertPem];
  for (const pem of ordered) {
    if (!pem.trimStart().startsWith(CERTIFICATE_PEM_START) || pem.includes("PRIVATE KEY")) {
      throw new Error("certificatesFingerprint takes certificate PEMs only");
    }
  }
  // JSON keeps the three PEMs apart: no two different triples hash the same text.
  return `sha256:${createHash("sha256").update(JSON.stringify(ordered)).digest("hex")}`;
}
