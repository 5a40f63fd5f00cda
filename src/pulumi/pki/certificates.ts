import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { PkiSettings } from "../../core/config/types";
import { CA_ALLOWED_USES, leafAllowedUses, type CertificateProfile } from "../../core/pki/profiles";

/** A certificate and its private key, as PEM. */
export interface KeyAndCertificate {
  /** The certificate, PEM. Public. */
  readonly certPem: pulumi.Output<string>;
  /** The private key, PEM (PKCS#8 for ECDSA, PKCS#1 for RSA). Always a Pulumi secret. */
  readonly privateKeyPem: pulumi.Output<string>;
  /** RFC 3339 time after which the certificate is invalid. */
  readonly validityEndTime: pulumi.Output<string>;
}

/** Who a certificate names, and what it may do. */
export interface CertificateRequest {
  /** Subject CN: the member name, or the client's user name. */
  readonly commonName: string;
  /** Subject organization: the cluster name, so certificates of two clusters are told apart at a glance. */
  readonly organization: string;
  /** What the certificate may be used for (profiles.ts `leafAllowedUses`). */
  readonly profile: CertificateProfile;
  /** IP SANs; none for client certificates. */
  readonly ipAddresses?: readonly pulumi.Input<string>[];
  /** DNS SANs; none for client certificates. */
  readonly dnsNames?: readonly pulumi.Input<string>[];
}

/**
 * A private key of the configured algorithm. The curve is always given for ECDSA: the provider's
 * default, P224, is a curve Go's TLS (so etcd and etcdctl) refuses, and the handshake fails.
 */
export function createPrivateKey(name: string, settings: PkiSettings, opts: pulumi.CustomResourceOptions): tls.PrivateKey {
  return new tls.PrivateKey(
    name,
    settings.keyAlgorithm === "ECDSA" ? { algorithm: "ECDSA", ecdsaCurve: settings.ecdsaCurve } : { algorithm: "RSA", rsaBits: settings.rsaBits },
    opts,
  );
}

/**
 * The cluster's own CA: a self-signed certificate that signs every member and client certificate.
 * It has no early-renewal window: a re-issued CA re-issues every certificate it signed and restarts
 * every member, so a new CA comes only through the staged rotation (`pki.caRotation`, README
 * "Rotating the CA"). With `earlyRenewalHours` unset (0) the provider replaces it only once it has
 * expired (terraform-provider-tls common_cert.go `modifyPlanIfCertificateReadyForRenewal`), when
 * every TLS handshake of the cluster fails already; the expiry alarm warns long before.
 */
export function createCertificateAuthority(
  name: string,
  subject: { readonly commonName: string; readonly organization: string },
  settings: PkiSettings,
  opts: pulumi.CustomResourceOptions,
): KeyAndCertificate {
  const key = createPrivateKey(`${name}-key`, settings, opts);
  const cert = new tls.SelfSignedCert(
    name,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { ...subject },
      isCaCertificate: true,
      allowedUses: [...CA_ALLOWED_USES],
      validityPeriodHours: settings.caValidityHours,
    },
    opts,
  );
  return { certPem: cert.certPem, privateKeyPem: pulumi.secret(key.privateKeyPem), validityEndTime: cert.validityEndTime };
}

/** A leaf certificate signed by the cluster CA, with its own key. */
export function issueCertificate(
  name: string,
  ca: KeyAndCertificate,
  request: CertificateRequest,
  settings: PkiSettings,
  opts: pulumi.CustomResourceOptions,
): KeyAndCertificate {
  const key = createPrivateKey(`${name}-key`, settings, opts);
  const csr = new tls.CertRequest(
    `${name}-csr`,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: request.commonName, organization: request.organization },
      ipAddresses: request.ipAddresses === undefined ? undefined : [...request.ipAddresses],
      dnsNames: request.dnsNames === undefined ? undefined : [...request.dnsNames],
    },
    opts,
  );
  const cert = new tls.LocallySignedCert(
    name,
    {
      certRequestPem: csr.certRequestPem,
      caCertPem: ca.certPem,
      caPrivateKeyPem: ca.privateKeyPem,
      allowedUses: leafAllowedUses(request.profile, settings.keyAlgorithm),
      validityPeriodHours: settings.certValidityHours,
      earlyRenewalHours: settings.earlyRenewalHours,
    },
    opts,
  );
  return { certPem: cert.certPem, privateKeyPem: pulumi.secret(key.privateKeyPem), validityEndTime: cert.validityEndTime };
}
