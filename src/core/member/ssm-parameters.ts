/**
 * Every SSM parameter name of a cluster: where the members' TLS files wait in Parameter Store
 * (SecureString parameters). The boot script reads them (scripts/boot-script.ts), each member's
 * role may read its own (aws/member-policy.ts), the deployer may write below the cluster's path
 * (aws/deployer-policy.ts), and src/pulumi/member-secrets.ts creates them.
 */
import { CERT_FILES } from "./ports-and-paths";

/** Root of a cluster's parameters: `/etcd/<cluster>`. */
export function clusterParameterPath(clusterName: string): string {
  return `/etcd/${clusterName}`;
}

/** The CA certificate's parameter, readable by every member: `/etcd/<cluster>/ca.crt`. */
export function caParameterName(clusterName: string): string {
  return `${clusterParameterPath(clusterName)}/${CERT_FILES.ca}`;
}

/**
 * The names of the members the program declares, a StringList parameter:
 * `/etcd/<cluster>/member-names`. The deployer's member removals read it when Pulumi deletes them
 * (aws/member-removal-command.ts): gone means the whole cluster is being destroyed.
 */
export function memberListParameterName(clusterName: string): string {
  return `${clusterParameterPath(clusterName)}/member-names`;
}

/** A member's own parameter path, readable only by that member: `/etcd/<cluster>/members/<member>`. */
export function memberParameterPath(clusterName: string, memberName: string): string {
  return `${clusterParameterPath(clusterName)}/members/${memberName}`;
}

/** Where a member's TLS material waits in SSM Parameter Store (SecureString parameters). */
export interface MemberSecretsLocation {
  /** AWS region of the parameters. */
  readonly region: string;
  /**
   * The member's own parameter path, e.g. `/etcd/etcd-prod/members/etcd-prod-0`; the member's
   * instance role may read only below it (plus the CA certificate).
   */
  readonly memberParameterPath: string;
  /** Full name of the parameter holding the cluster CA certificate, shared by all members. */
  readonly caParameterName: string;
}

/** One file fetched from a parameter. */
export interface MemberSecretFile {
  /** File name inside the member's cert directory, and the parameter's last path segment. */
  readonly file: string;
  /** File mode: 0600 for private keys (owned by etcd), 0644 for certificates. */
  readonly mode: "0600" | "0644";
}

/** The member's own parameters: its server and peer certificates and keys. */
export const MEMBER_SECRET_FILES: readonly MemberSecretFile[] = [
  { file: CERT_FILES.serverCert, mode: "0644" },
  { file: CERT_FILES.serverKey, mode: "0600" },
  { file: CERT_FILES.peerCert, mode: "0644" },
  { file: CERT_FILES.peerKey, mode: "0600" },
];

/** Name of the parameter holding one of the member's files: `<memberParameterPath>/<file>`. */
export function memberParameterName(memberParameterPath: string, file: string): string {
  return `${memberParameterPath.replace(/\/+$/, "")}/${file}`;
}
