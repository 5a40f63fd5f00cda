/**
 * What the harness boots, as the program rendered it: each member's etcd config file and the
 * files delivered to it, and the admin's client credentials. program-blueprint.ts reads these out
 * of an offline program run; nothing in a blueprint is ever edited (host paths are mapped when a
 * member is laid out on disk, host-paths.ts).
 */

/** PEM material of a TLS identity. */
export interface TlsIdentity {
  /** The CA certificate that identity trusts. */
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** One member as the program rendered it. */
export interface MemberBlueprint {
  /** etcd member name (`name`). */
  readonly name: string;
  /** The member's address (its ENI's, drawn from 127.0.0.x for the tests). */
  readonly ip: string;
  /** The etcd config file (`--config-file`), YAML, byte for byte as rendered. */
  readonly renderedConfig: string;
  /**
   * Every file the member's user data installs (cloud-init `write_files`), by host path, e.g.
   * `/usr/local/sbin/etcd-replace-member`: the scripts the drills run come from here.
   */
  readonly installedFiles: Readonly<Record<string, string>>;
  /**
   * Files the program delivers to the member (certificates and keys), by file name, e.g.
   * `server.crt`; the config's TLS paths name them.
   */
  readonly deliveredFiles: Readonly<Record<string, string>>;
}

/** A whole cluster as rendered, plus the admin's client identity. */
export interface ClusterBlueprint {
  readonly members: readonly MemberBlueprint[];
  /** The admin client certificate and key from the program's outputs. */
  readonly admin: TlsIdentity;
}
