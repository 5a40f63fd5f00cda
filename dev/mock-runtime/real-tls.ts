/**
 * A TlsEmulator with real cryptography (@peculiar/x509 over Node's WebCrypto): under the mocks,
 * every `@pulumi/tls` resource the program declares yields a real key, request or certificate, with
 * the usages, CA flag, subject, SANs and validity the program asked for, signed by the CA key the
 * program named. Real etcd then judges them in the e2e suite, so a wrong key usage fails there.
 *
 * Certificate contents follow the terraform tls provider that `@pulumi/tls` wraps
 * (internal/provider/common_cert.go, resource_locally_signed_cert.go) and Go's
 * x509.CreateCertificate: basic constraints always present and critical, key usage critical,
 * extended key usage only when asked for, a subject key ID on CA certificates, the authority key
 * ID taken from the issuer's subject key ID.
 */
// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata polyfill first.
import "reflect-metadata";
import { randomBytes, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { TLS_TYPES, type TlsEmulator, type TlsProperties, type TlsResourceType } from "./tls-emulator";
import { generatePrivateKey, loadSigningKey, type SigningKey } from "./real-tls-keys";

// Node's webcrypto is the standard Crypto object; its typings differ from the DOM's only nominally.
x509.cryptoProvider.set(webcrypto);

/** Object identifier of the subject alternative name extension (RFC 5280 4.2.1.6). */
const SUBJECT_ALT_NAME_OID = "2.5.29.17";

/** `allowedUses` names of the provider that map to the key usage extension's bits. */
const KEY_USAGES: Readonly<Record<string, x509.KeyUsageFlags>> = {
  digital_signature: x509.KeyUsageFlags.digitalSignature,
  content_commitment: x509.KeyUsageFlags.nonRepudiation,
  key_encipherment: x509.KeyUsageFlags.keyEncipherment,
  data_encipherment: x509.KeyUsageFlags.dataEncipherment,
  key_agreement: x509.KeyUsageFlags.keyAgreement,
  cert_signing: x509.KeyUsageFlags.keyCertSign,
  crl_signing: x509.KeyUsageFlags.cRLSign,
  encipher_only: x509.KeyUsageFlags.encipherOnly,
  decipher_only: x509.KeyUsageFlags.decipherOnly,
};

/** `allowedUses` names of the provider that map to extended key usage OIDs. */
const EXTENDED_KEY_USAGES: Readonly<Record<string, string>> = {
  any_extended: "2.5.29.37.0",
  server_auth: x509.ExtendedKeyUsage.serverAuth,
  client_auth: x509.ExtendedKeyUsage.clientAuth,
  code_signing: x509.ExtendedKeyUsage.codeSigning,
  email_protection: x509.ExtendedKeyUsage.emailProtection,
  ipsec_end_system: "1.3.6.1.5.5.7.3.5",
  ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
  ipsec_user: "1.3.6.1.5.5.7.3.7",
  timestamping: x509.ExtendedKeyUsage.timeStamping,
  ocsp_signing: x509.ExtendedKeyUsage.ocspSigning,
  microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
  netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
  microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
  microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

/** Subject fields of the provider in the order Go writes them (pkix.Name.ToRDNSequence), with their attribute. */
const SUBJECT_ATTRIBUTES: readonly (readonly [field: string, attribute: string])[] = [
  ["country", "C"],
  ["province", "ST"],
  ["locality", "L"],
  ["streetAddresses", "2.5.4.9"],
  ["postalCode", "2.5.4.17"],
  ["organization", "O"],
  ["organizationalUnit", "OU"],
  ["commonName", "CN"],
  ["serialNumber", "2.5.4.5"],
];

/** The emulator: plug it into the offline runtime so tls resources carry real key material. */
export function realTls(): TlsEmulator {
  const emulators: Readonly<Record<TlsResourceType, (name: string, inputs: TlsProperties) => Promise<TlsProperties>>> = {
    [TLS_TYPES.privateKey]: async (name, inputs) => ({ ...inputs, ...(await generatePrivateKey(name, inputs)) }),
    [TLS_TYPES.selfSignedCert]: createSelfSignedCert,
    [TLS_TYPES.certRequest]: createCertRequest,
    [TLS_TYPES.locallySignedCert]: createLocallySignedCert,
  };
  return { create: (type, name, inputs) => emulators[type](name, inputs) };
}

async function createSelfSignedCert(_name: string, inputs: TlsProperties): Promise<TlsProperties> {
  const key = loadSigningKey(requiredString(inputs, "privateKeyPem"));
  const subject = subjectName(inputs["subject"]);
  const sans = alternativeNames(inputs);
  const cert = await issue(inputs, { subject, sans, publicKey: key.keys.publicKey, issuerName: subject, issuerKey: key });
  return { ...inputs, ...cert, keyAlgorithm: key.algorithmName };
}

async function createCertRequest(_name: string, inputs: TlsProperties): Promise<TlsProperties> {
  const key = loadSigningKey(requiredString(inputs, "privateKeyPem"));
  const sans = alternativeNames(inputs);
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subjectName(inputs["subject"]),
    keys: key.keys,
    signingAlgorithm: key.signingAlgorithm,
    extensions: sans.length > 0 ? [new x509.SubjectAlternativeNameExtension(sans)] : [],
  });
  return { ...inputs, certRequestPem: request.toString("pem"), keyAlgorithm: key.algorithmName };
}

async function createLocallySignedCert(_name: string, inputs: TlsProperties): Promise<TlsProperties> {
  const request = new x509.Pkcs10CertificateRequest(requiredString(inputs, "certRequestPem"));
  const caCert = new x509.X509Certificate(requiredString(inputs, "caCertPem"));
  const caKey = loadSigningKey(requiredString(inputs, "caPrivateKeyPem"));
  const requested = request.getExtension(SUBJECT_ALT_NAME_OID);
  const requestedSans = requested instanceof x509.SubjectAlternativeNameExtension ? requested.names.toJSON() : [];
  const cert = await issue(inputs, {
    subject: request.subjectName.toJSON(),
    sans: requestedSans,
    publicKey: request.publicKey,
    issuerName: caCert.subjectName.toJSON(),
    issuerKey: caKey,
    issuerKeyId: caCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
  });
  return { ...inputs, ...cert, caKeyAlgorithm: caKey.algorithmName };
}

/** What a certificate is issued for and by whom. */
interface Issuance {
  readonly subject: x509.JsonName;
  readonly sans: x509.JsonGeneralNames;
  /** A key pair's CryptoKey, or the PublicKey a certificate request carries (x509.PublicKeyType names DOM types this project does not load). */
  readonly publicKey: x509.PublicKey | webcrypto.CryptoKey;
  readonly issuerName: x509.JsonName;
  readonly issuerKey: SigningKey;
  /** The issuer's subject key ID (hex); becomes the authority key ID. Absent for self-signed certificates. */
  readonly issuerKeyId?: string | undefined;
}

async function issue(inputs: TlsProperties, issuance: Issuance): Promise<TlsProperties> {
  // Whole seconds: X.509 times carry no fractions, so the state's times equal the certificate's.
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + Number(inputs["validityPeriodHours"] ?? 0) * 3_600_000);
  const isCa = inputs["isCaCertificate"] === true;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: positiveSerialNumber(),
    subject: issuance.subject,
    issuer: issuance.issuerName,
    notBefore,
    notAfter,
    publicKey: issuance.publicKey,
    signingKey: issuance.issuerKey.keys.privateKey,
    signingAlgorithm: issuance.issuerKey.signingAlgorithm,
    extensions: await certificateExtensions(inputs, issuance, isCa),
  });
  return {
    certPem: cert.toString("pem"),
    validityStartTime: rfc3339(notBefore),
    validityEndTime: rfc3339(notAfter),
    readyForRenewal: false,
  };
}

async function certificateExtensions(inputs: TlsProperties, issuance: Issuance, isCa: boolean): Promise<x509.Extension[]> {
  const uses = stringList(inputs, "allowedUses");
  const unknown = uses.filter((use) => KEY_USAGES[use] === undefined && EXTENDED_KEY_USAGES[use] === undefined);
  if (unknown.length > 0) throw new Error(`allowedUses: ${unknown.join(", ")} not known to the tls provider`);
  const keyUsage = uses.reduce((bits, use) => bits | (KEY_USAGES[use] ?? 0), 0);
  const extendedUsages = uses.flatMap((use) => EXTENDED_KEY_USAGES[use] ?? []);
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(isCa, undefined, true)];
  if (keyUsage !== 0) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  if (extendedUsages.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(extendedUsages, false));
  if (issuance.sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(issuance.sans));
  if (isCa || inputs["setSubjectKeyId"] === true) {
    extensions.push(await x509.SubjectKeyIdentifierExtension.create(issuance.publicKey));
  }
  if (issuance.issuerKeyId !== undefined) extensions.push(new x509.AuthorityKeyIdentifierExtension(issuance.issuerKeyId));
  return extensions;
}

function subjectName(subject: unknown): x509.JsonName {
  const fields = (subject ?? {}) as Readonly<Record<string, unknown>>;
  return SUBJECT_ATTRIBUTES.flatMap(([field, attribute]) => {
    const value = fields[field];
    const values = (Array.isArray(value) ? value : [value]).filter((one): one is string => typeof one === "string" && one !== "");
    return values.map((one) => ({ [attribute]: [one] }));
  });
}

function alternativeNames(inputs: TlsProperties): x509.JsonGeneralNames {
  return [
    ...stringList(inputs, "dnsNames").map((value) => ({ type: "dns" as const, value })),
    ...stringList(inputs, "ipAddresses").map((value) => ({ type: "ip" as const, value })),
    ...stringList(inputs, "uris").map((value) => ({ type: "url" as const, value })),
  ];
}

function stringList(inputs: TlsProperties, key: string): string[] {
  const value = inputs[key];
  return Array.isArray(value) ? value.map(String) : [];
}

function requiredString(inputs: TlsProperties, key: string): string {
  const value = inputs[key];
  if (typeof value !== "string" || value === "") throw new Error(`tls emulator: input ${key} is missing`);
  return value;
}

/** 128 random bits with the top bit clear, so the DER integer stays positive (as Go's rand.Int). */
function positiveSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, "Z");
}
