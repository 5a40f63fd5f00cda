/**
 * The etcd3 client of the scripts that run as their own process in the hub namespace
 * (write-load.ts, backup-support/seed-keys.ts): they get the members' client URLs and the paths of a
 * TLS identity's PEM files as JSON, and read the files themselves.
 */
import { readFileSync } from "node:fs";
import { Etcd3 } from "etcd3";
import type { IdentityFiles } from "../../../dev/local-cluster/etcdctl";

/** Where a hub script connects and as whom. */
export interface EtcdClientOptions extends IdentityFiles {
  /** Client URLs of the members to connect to, e.g. `https://10.0.0.10:2379`. */
  readonly endpoints: readonly string[];
}

/** A client to `endpoints` that trusts the identity's CA and presents its certificate and key. */
export function connectWithIdentityFiles(options: EtcdClientOptions): Etcd3 {
  return new Etcd3({
    hosts: [...options.endpoints],
    credentials: {
      rootCertificate: readFileSync(options.caFile),
      certChain: readFileSync(options.certFile),
      privateKey: readFileSync(options.keyFile),
    },
  });
}
