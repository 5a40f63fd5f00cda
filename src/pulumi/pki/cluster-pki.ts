import * as pulumi from "@pulumi/pulumi";
import type { PkiSettings } from "../../core/config/types";
import { createCertificateAuthority, issueCertificate, type KeyAndCertificate } from "./certificates";
import { caBundlePem, caGenerations } from "../../core/pki/ca-rotation";
import { CLIENT_CERTIFICATES, memberSubjectAltNames, type ClientIdentity } from "../../core/pki/profiles";

/** A member as its certificates see it. */
export interface MemberIdentity {
  /** etcd member name: the certificates' common name. */
  readonly memberName: string;
  /** Prefix of the member's resource names, e.g. `etcd-member-0`. */
  readonly resourcePrefix: string;
  /** The member's private IP (its ENI's). */
  readonly ip: pulumi.Input<string>;
  /** The member's private DNS name (its ENI's). */
  readonly dnsName: pulumi.Input<string>;
}

/** A member's two certificates. */
export interface MemberCertificates {
  /** Client-facing listener (2379): `client-transport-security`. */
  readonly server: KeyAndCertificate;
  /** Raft listener and dialer (2380): `peer-transport-security`. */
  readonly peer: KeyAndCertificate;
}

/** Every certificate of one cluster. */
export interface ClusterPki {
  /** The CA that signs every member and client certificate (during a rotation, the stage's: pki/ca-rotation.ts). */
  readonly ca: KeyAndCertificate;
  /** What members and clients trust, PEM: the signing CA, and during a rotation the other generation too. */
  readonly trustBundle: pulumi.Output<string>;
  /** Each member's certificates, in member order. */
  readonly members: readonly MemberCertificates[];
  /** The client certificates of CLIENT_CERTIFICATES. */
  readonly clients: Readonly<Record<ClientIdentity, KeyAndCertificate>>;
  /**
   * Expiry (RFC 3339) of every certificate, keyed `ca` (the signing CA), `ca/previous` or `ca/next`
   * (the other CA trusted during a rotation), `<member>/server`, `<member>/peer`, `client/<label>`.
   */
  readonly expiries: pulumi.Output<Record<string, string>>;
}

/** Inputs of the cluster's PKI. */
export interface ClusterPkiArgs {
  /** Subject organization of every certificate, and part of the CA's common name. */
  readonly clusterName: string;
  /** Key algorithm and validity (src/core/config). */
  readonly settings: PkiSettings;
  /** The members, in member order. */
  readonly members: readonly MemberIdentity[];
}

/**
 * The cluster's CA, each member's server and peer certificate, and the client certificates of
 * CLIENT_CERTIFICATES. Resource names derive from `name` and the member prefixes only, so a
 * certificate is re-issued only when what it certifies changes.
 */
export function createClusterPki(name: string, args: ClusterPkiArgs, opts: pulumi.CustomResourceOptions): ClusterPki {
  const { clusterName, settings } = args;
  const organization = clusterName;
  const generations = caGenerations(settings.caRotation);
  const authorities = new Map(
    generations.trusted.map((generation) => [
      generation,
      createCertificateAuthority(caResourceName(name, generation), caSubject(clusterName, generation), settings, opts),
    ]),
  );
  const ca = authorities.get(generations.signing)!;
  const trustBundle = pulumi.all(generations.trusted.map((generation) => authorities.get(generation)!.certPem)).apply(caBundlePem);
  const otherCaExpiries = generations.trusted
    .filter((generation) => generation !== generations.signing)
    .map((generation): [string, pulumi.Output<string>] => [
      generation < generations.signing ? "ca/previous" : "ca/next",
      authorities.get(generation)!.validityEndTime,
    ]);

  const members = args.members.map((member): MemberCertificates => {
    const issue = (profile: "server" | "peer") =>
      issueCertificate(
        `${member.resourcePrefix}-${profile}`,
        ca,
        { commonName: member.memberName, organization, profile, ...memberSubjectAltNames(profile, member.ip, member.dnsName) },
        settings,
        opts,
      );
    return { server: issue("server"), peer: issue("peer") };
  });

  const issueClient = (identity: ClientIdentity) =>
    issueCertificate(
      `${name}-client-${CLIENT_CERTIFICATES[identity].label}`,
      ca,
      { commonName: CLIENT_CERTIFICATES[identity].commonName, organization, profile: "client" },
      settings,
      opts,
    );
  const clients = { admin: issueClient("admin"), kubeApiserver: issueClient("kubeApiserver") };

  const expiries = pulumi.output(
    Object.fromEntries<pulumi.Output<string>>([
      ["ca", ca.validityEndTime],
      ...otherCaExpiries,
      ...args.members.flatMap((member, index): [string, pulumi.Output<string>][] => [
        [`${member.memberName}/server`, members[index].server.validityEndTime],
        [`${member.memberName}/peer`, members[index].peer.validityEndTime],
      ]),
      [`client/${CLIENT_CERTIFICATES.admin.label}`, clients.admin.validityEndTime],
      [`client/${CLIENT_CERTIFICATES.kubeApiserver.label}`, clients.kubeApiserver.validityEndTime],
    ]),
  );

  return { ca, trustBundle, members, clients, expiries };
}

/**
 * Resource name of a CA generation: generation 0 keeps the name the CA always had (`<name>-ca`),
 * so a stack that never rotates keeps its CA; later ones are `<name>-ca-g<generation>`.
 */
function caResourceName(name: string, generation: number): string {
  return generation === 0 ? `${name}-ca` : `${name}-ca-g${generation}`;
}

/** The CA's subject; later generations say theirs, so the two CAs of a bundle are told apart at a glance. */
function caSubject(clusterName: string, generation: number): { commonName: string; organization: string } {
  const commonName = generation === 0 ? `${clusterName} etcd CA` : `${clusterName} etcd CA ${generation}`;
  return { commonName, organization: clusterName };
}
