/**
 * Private keys for the real-crypto tls emulator (real-tls.ts): generation with the algorithm the
 * program asked for, the PEM encodings `@pulumi/tls` `PrivateKey` returns, and conversion into
 * WebCrypto keys for signing. Behaviour follows the terraform tls provider
 * (internal/provider/common_key.go, resource_private_key.go).
 */
import { createPrivateKey, createPublicKey, generateKeyPair, webcrypto, type KeyObject } from "node:crypto";
import { promisify } from "node:util";

const generateKeyPairAsync = promisify(generateKeyPair);

/** `rsaBits` when the program does not set it (the provider's default). */
export const PROVIDER_DEFAULT_RSA_BITS = 2048;
/** `ecdsaCurve` when the program does not set it (the provider's default): P224, which Go's TLS refuses. */
export const PROVIDER_DEFAULT_ECDSA_CURVE = "P224";

/** ECDSA curves Go's crypto/tls (so etcd and etcdctl) accepts for certificates, by provider name. */
const TLS_USABLE_CURVES: Readonly<Record<string, string>> = { P256: "P-256", P384: "P-384", P521: "P-521" };

/** The PEM outputs of a `tls.PrivateKey`. */
export interface PrivateKeyPems {
  /** `privateKeyPem`: SEC 1 (`EC PRIVATE KEY`) for ECDSA, PKCS #1 (`RSA PRIVATE KEY`) for RSA, as the provider writes it. */
  readonly privateKeyPem: string;
  /** `privateKeyPemPkcs8`: the same key as PKCS #8 (`PRIVATE KEY`). */
  readonly privateKeyPemPkcs8: string;
  /** `publicKeyPem`: SubjectPublicKeyInfo (`PUBLIC KEY`). */
  readonly publicKeyPem: string;
}

/** A parsed private key, ready to sign certificates and requests with WebCrypto. */
export interface SigningKey {
  /** The provider's name of the key's algorithm (`keyAlgorithm` / `caKeyAlgorithm` outputs). */
  readonly algorithmName: "ECDSA" | "RSA";
  /** Key pair for @peculiar/x509 (sign / verify usages). */
  readonly keys: webcrypto.CryptoKeyPair;
  /** The signature algorithm Go's x509 package would choose for this key. */
  readonly signingAlgorithm: webcrypto.EcdsaParams | webcrypto.Algorithm;
}

/**
 * Generates the key a `tls.PrivateKey` with these inputs would hold. Throws for P224 (the
 * provider's ECDSA default): the provider would create it, but no TLS handshake in etcd or
 * etcdctl could use it, so a program asking for it is wrong and must fail here, loudly.
 */
export async function generatePrivateKey(name: string, inputs: Record<string, unknown>): Promise<PrivateKeyPems> {
  const algorithm = inputs["algorithm"];
  if (algorithm === "RSA") {
    const modulusLength = Number(inputs["rsaBits"] ?? PROVIDER_DEFAULT_RSA_BITS);
    const { privateKey } = await generateKeyPairAsync("rsa", { modulusLength });
    return encodePrivateKey(privateKey);
  }
  if (algorithm === "ECDSA") {
    const curve = typeof inputs["ecdsaCurve"] === "string" ? inputs["ecdsaCurve"] : PROVIDER_DEFAULT_ECDSA_CURVE;
    const namedCurve = TLS_USABLE_CURVES[curve];
    if (namedCurve === undefined) {
      throw new Error(
        `tls PrivateKey "${name}": ECDSA curve ${curve}${inputs["ecdsaCurve"] === undefined ? " (the provider default)" : ""} ` +
          `cannot be used by Go's TLS, so etcd and etcdctl would fail every handshake; set ecdsaCurve to P256 or P384`,
      );
    }
    const { privateKey } = await generateKeyPairAsync("ec", { namedCurve });
    return encodePrivateKey(privateKey);
  }
  throw new Error(`tls PrivateKey "${name}": algorithm ${String(algorithm)} is not emulated (ECDSA or RSA)`);
}

function encodePrivateKey(privateKey: KeyObject): PrivateKeyPems {
  const traditional = privateKey.asymmetricKeyType === "ec" ? "sec1" : "pkcs1";
  return {
    privateKeyPem: privateKey.export({ type: traditional, format: "pem" }).toString(),
    privateKeyPemPkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString(),
  };
}

/** How WebCrypto imports a key and signs with it, and the provider's name of its algorithm. */
interface SigningParameters {
  readonly algorithmName: SigningKey["algorithmName"];
  readonly importParams: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
  readonly signingAlgorithm: SigningKey["signingAlgorithm"];
}

/** Go's x509.CreateCertificate signs with ECDSAWithSHA256/384/512 on P-256/384/521, by OpenSSL curve name. */
const ECDSA_SIGNING: Readonly<Record<string, { readonly namedCurve: string; readonly hash: string }>> = {
  prime256v1: { namedCurve: "P-256", hash: "SHA-256" },
  secp384r1: { namedCurve: "P-384", hash: "SHA-384" },
  secp521r1: { namedCurve: "P-521", hash: "SHA-512" },
};

function signingParameters(privateKey: KeyObject): SigningParameters {
  if (privateKey.asymmetricKeyType === "ec") {
    const curve = String(privateKey.asymmetricKeyDetails?.namedCurve);
    const signing = ECDSA_SIGNING[curve];
    if (signing === undefined) throw new Error(`ECDSA curve ${curve} cannot be used by Go's TLS`);
    return {
      algorithmName: "ECDSA",
      importParams: { name: "ECDSA", namedCurve: signing.namedCurve },
      signingAlgorithm: { name: "ECDSA", hash: signing.hash },
    };
  }
  if (privateKey.asymmetricKeyType === "rsa") {
    // Go signs with SHA256WithRSA (PKCS #1 v1.5) for RSA keys.
    const params = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    return { algorithmName: "RSA", importParams: params, signingAlgorithm: params };
  }
  throw new Error(`private key type ${String(privateKey.asymmetricKeyType)} is not emulated (ECDSA or RSA)`);
}

/** Parses any PEM private key the provider accepts (SEC 1, PKCS #1, PKCS #8) into a signing key pair. */
export function loadSigningKey(privateKeyPem: string): SigningKey {
  const privateKey = createPrivateKey(privateKeyPem);
  const { algorithmName, importParams, signingAlgorithm } = signingParameters(privateKey);
  return {
    algorithmName,
    keys: {
      privateKey: privateKey.toCryptoKey(importParams, false, ["sign"]),
      publicKey: createPublicKey(privateKey).toCryptoKey(importParams, true, ["verify"]),
    },
    signingAlgorithm,
  };
}
