/**
 * How the offline runtime (Pulumi mocks) answers for `@pulumi/tls` resources. The plan renderer
 * uses deterministic placeholders; the e2e suite plugs in real cryptography, so the certificates
 * the program asks for are real certificates that real etcd judges.
 */

/** Pulumi tls resource type tokens the program uses. */
export const TLS_TYPES = {
  privateKey: "tls:index/privateKey:PrivateKey",
  selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
  certRequest: "tls:index/certRequest:CertRequest",
  locallySignedCert: "tls:index/locallySignedCert:LocallySignedCert",
} as const;

export type TlsResourceType = (typeof TLS_TYPES)[keyof typeof TLS_TYPES];

/** Inputs and outputs as the mocks see them: the provider schema's camelCase property names. */
export type TlsProperties = Record<string, unknown>;

export interface TlsEmulator {
  /**
   * Returns the resource's state (its inputs plus computed outputs such as `privateKeyPem`,
   * `certPem`, `certRequestPem`, `validityEndTime`) as the tls provider would.
   */
  create(type: TlsResourceType, name: string, inputs: TlsProperties): Promise<TlsProperties>;
}

export function isTlsResourceType(type: string): type is TlsResourceType {
  return (Object.values(TLS_TYPES) as string[]).includes(type);
}
