/**
 * The TlsEmulator for plans and graph tests: deterministic placeholder PEMs that say in their
 * body that they are fakes, so they are recognisable in a plan and never mistaken for material
 * that works. Real cryptography (the e2e suite's emulator) plugs in through the same interface.
 */
import { stableHex } from "./fake-aws-ids";
import { TLS_TYPES, type TlsEmulator, type TlsProperties, type TlsResourceType } from "./tls-emulator";

/** Every placeholder certificate is valid from this instant, so validity end times are stable. */
export const PLACEHOLDER_VALIDITY_START = "2025-01-01T00:00:00Z";

function placeholderPem(label: string, type: TlsResourceType, name: string): string {
  return [
    `-----BEGIN ${label}-----`,
    `OFFLINE PLACEHOLDER, NOT A REAL ${label}: ${type} ${name} ${stableHex(`${type}/${name}`, 16)}`,
    `-----END ${label}-----`,
    "",
  ].join("\n");
}

function validityWindow(inputs: TlsProperties): TlsProperties {
  const hours = Number(inputs.validityPeriodHours ?? 0);
  const start = Date.parse(PLACEHOLDER_VALIDITY_START);
  return {
    validityStartTime: PLACEHOLDER_VALIDITY_START,
    validityEndTime: new Date(start + hours * 3_600_000).toISOString().replace(".000Z", "Z"),
    readyForRenewal: false,
  };
}

function computedOutputs(type: TlsResourceType, name: string, inputs: TlsProperties): TlsProperties {
  switch (type) {
    case TLS_TYPES.privateKey: {
      const fingerprint = stableHex(`fingerprint/${name}`, 64);
      return {
        privateKeyPem: placeholderPem("PRIVATE KEY", type, name),
        privateKeyPemPkcs8: placeholderPem("PRIVATE KEY", type, name),
        privateKeyOpenssh: placeholderPem("OPENSSH PRIVATE KEY", type, name),
        publicKeyPem: placeholderPem("PUBLIC KEY", type, name),
        publicKeyOpenssh: `ecdsa-sha2-nistp256 OFFLINE-PLACEHOLDER-${stableHex(name, 16)}\n`,
        publicKeyFingerprintMd5: fingerprint.slice(0, 32).replace(/(..)(?!$)/g, "$1:"),
        publicKeyFingerprintSha256: `SHA256:${fingerprint}`,
      };
    }
    case TLS_TYPES.certRequest:
      return { certRequestPem: placeholderPem("CERTIFICATE REQUEST", type, name) };
    case TLS_TYPES.selfSignedCert:
    case TLS_TYPES.locallySignedCert:
      return { certPem: placeholderPem("CERTIFICATE", type, name), ...validityWindow(inputs) };
  }
}

/** Answers every tls resource with its inputs plus placeholder outputs. */
export const placeholderTls: TlsEmulator = {
  create(type, name, inputs) {
    return Promise.resolve({ ...inputs, ...computedOutputs(type, name, inputs) });
  },
};
