/**
 * What each certificate of the cluster may be used for, and which names it carries. Pure: the
 * tls wiring (certificates.ts) and the tests read these lists; etcd's requirements are in
 * docs/facts.md "TLS".
 */
import type { PkiSettings } from "../config/types";
import { LOOPBACK_IP } from "../member/ports-and-paths";

/** The kinds of leaf certificate the cluster issues. */
export type CertificateProfile = "server" | "peer" | "client";

/** `allowedUses` of the CA: it signs certificates (and could sign CRLs), nothing else. */
export const CA_ALLOWED_USES: readonly string[] = ["cert_signing", "crl_signing", "digital_signature"];

/** Host name every member's server certificate carries for tools on the member itself. */
export const LOCALHOST_NAME = "localhost";

/**
 * Client certificates issued with every cluster, by output name: the certificate's common name
 * (the user etcd sees once its auth is turned on; the kube-apiserver's follows kubeadm's naming) and
 * the label its resource names and expiry entry use.
 */
export const CLIENT_CERTIFICATES = {
  admin: { commonName: "admin", label: "admin" },
  kubeApiserver: { commonName: "kube-apiserver-etcd-client", label: "kube-apiserver" },
} as const;

/** The client identities above: `admin` and `kubeApiserver`. */
export type ClientIdentity = keyof typeof CLIENT_CERTIFICATES;

/**
 * Key usages the key algorithm allows: `key_encipherment` is how an RSA key agrees TLS 1.2 session
 * keys (RSA key transport); an ECDSA key only signs, and RFC 5480 rules key encipherment out for it.
 */
function keyUsages(keyAlgorithm: PkiSettings["keyAlgorithm"]): string[] {
  return keyAlgorithm === "RSA" ? ["digital_signature", "key_encipherment"] : ["digital_signature"];
}

/**
 * `allowedUses` of a leaf certificate:
 * - server (client-facing listener): `server_auth`, and `client_auth` too, because etcd's gRPC
 *   gateway dials the member itself presenting this certificate (`cert-file`) and the member asks
 *   every client for a certificate (`client-cert-auth: true`);
 * - peer: `server_auth` and `client_auth`, since a member serves Raft on 2380 and dials the other
 *   members with the same certificate (`peer-transport-security`);
 * - client (etcdctl, kube-apiserver): `client_auth` only; it can never serve as a member.
 */
export function leafAllowedUses(profile: CertificateProfile, keyAlgorithm: PkiSettings["keyAlgorithm"]): string[] {
  switch (profile) {
    case "server":
    case "peer":
      return [...keyUsages(keyAlgorithm), "server_auth", "client_auth"];
    case "client":
      return [...keyUsages(keyAlgorithm), "client_auth"];
    default: {
      const unknown: never = profile;
      throw new Error(`unknown certificate profile ${String(unknown)}`);
    }
  }
}

/** Subject alternative names of a member certificate. */
export interface SubjectAltNames<T> {
  readonly ipAddresses: readonly (T | string)[];
  readonly dnsNames: readonly (T | string)[];
}

/**
 * SANs of a member's server or peer certificate: the member's own IP and DNS name. The server
 * certificate adds 127.0.0.1 and `localhost` for tools on the member (health checks, backups over
 * the loopback client URL). The peer certificate does not: etcd checks a dialling peer's SANs
 * against the connection's source address, and a loopback name there would vouch for any process
 * on any host.
 */
export function memberSubjectAltNames<T>(profile: "server" | "peer", ip: T, dnsName: T): SubjectAltNames<T> {
  if (profile === "server") {
    return { ipAddresses: [ip, LOOPBACK_IP], dnsNames: [dnsName, LOCALHOST_NAME] };
  }
  return { ipAddresses: [ip], dnsNames: [dnsName] };
}
