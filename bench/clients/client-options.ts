/**
 * How the benchmark's hub processes (load generator, failover probe, seeder) reach a cluster: the
 * members' client URLs and, for a TLS cluster, the paths of the admin identity's PEM files. Passed
 * as JSON on the command line; the same client for the rendered and the reference cluster, so any
 * difference is the cluster's.
 */
import { readFileSync } from "node:fs";
import { noop } from "cockatiel";
import { Etcd3 } from "etcd3";
import type { IdentityFiles } from "../../dev/local-cluster/etcdctl";

export interface HubClientOptions {
  /** Client URLs, `https://…` (TLS with `tls`) or `http://…` (plaintext). */
  readonly endpoints: readonly string[];
  /** The admin identity for a TLS cluster; absent for a plaintext one. */
  readonly tls?: IdentityFiles;
}

/**
 * A client of `endpoints` making one attempt per request (no retries, no circuit breaker): a
 * measurement must see each request's own outcome and latency.
 */
export function hubClient(options: HubClientOptions, endpoints: readonly string[] = options.endpoints): Etcd3 {
  const tls = options.tls;
  return new Etcd3({
    hosts: [...endpoints],
    credentials: tls && {
      rootCertificate: readFileSync(tls.caFile),
      certChain: readFileSync(tls.certFile),
      privateKey: readFileSync(tls.keyFile),
    },
    // Values of the snapshot keyspace are 256 KiB; gRPC's default receive limit is 4 MiB.
    grpcOptions: { "grpc.max_receive_message_length": -1 },
    faultHandling: { global: noop, host: () => noop },
  });
}

/** Parses the JSON argument of a hub process, or exits with its usage. */
export function hubArgument<T>(usage: string): T {
  const text = process.argv[2];
  if (text === undefined) {
    process.stderr.write(`${usage}\n`);
    process.exit(2);
  }
  return JSON.parse(text) as T;
}

/** Runs a hub process's main: its result as one JSON line on stdout, a failure on stderr with exit 1. */
export function runHubMain<T>(name: string, main: () => Promise<T>): void {
  main().then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
