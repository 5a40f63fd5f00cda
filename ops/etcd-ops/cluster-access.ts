/**
 * How etcd-ops reaches a cluster: client endpoints and the admin client's TLS material, from flags
 * (files) or from the stack's outputs (`pulumi stack output --json --show-secrets > outputs.json`).
 */
import { readFileSync } from "node:fs";
import { noop } from "cockatiel";
import { Etcd3 } from "etcd3";

/** Endpoints and TLS material of one cluster. */
export interface ClusterAccess {
  /** Client URLs of every member, e.g. `https://10.0.1.10:2379`. */
  readonly endpoints: readonly string[];
  /** PEM of the cluster CA. */
  readonly caCertificate: string;
  /** PEM of a client certificate signed by the cluster CA (the admin client's). */
  readonly clientCertificate: string;
  /** PEM of that certificate's private key. */
  readonly clientKey: string;
}

/** The connection flags as parsed: file paths, a comma-separated endpoint list, an outputs file. */
export interface AccessFlags {
  readonly endpoints?: string;
  readonly cacert?: string;
  readonly cert?: string;
  readonly key?: string;
  /** Path of the JSON written by `pulumi stack output --json --show-secrets`. */
  readonly outputs?: string;
}

/** The stack outputs etcd-ops reads (index.ts exports them). */
interface StackOutputs {
  readonly clientEndpoints?: string | readonly string[];
  readonly caCertificate?: string;
  readonly adminClientCertificate?: string;
  readonly adminClientKey?: string;
}

/** Milliseconds a single request may take before the member counts as not answering. */
export const REQUEST_TIMEOUT_MS = 5000;

function splitEndpoints(value: string | readonly string[]): string[] {
  const list = typeof value === "string" ? value.split(",") : [...value];
  return list.map((endpoint) => endpoint.trim()).filter((endpoint) => endpoint !== "");
}

/**
 * Resolves the access from the flags: each flag wins over the outputs file, and every missing piece
 * is reported at once.
 */
export function loadClusterAccess(flags: AccessFlags): ClusterAccess {
  const outputs: StackOutputs = flags.outputs === undefined ? {} : (JSON.parse(readFileSync(flags.outputs, "utf8")) as StackOutputs);
  const endpoints = splitEndpoints(flags.endpoints ?? outputs.clientEndpoints ?? []);
  const caCertificate = flags.cacert === undefined ? outputs.caCertificate : readFileSync(flags.cacert, "utf8");
  const clientCertificate = flags.cert === undefined ? outputs.adminClientCertificate : readFileSync(flags.cert, "utf8");
  const clientKey = flags.key === undefined ? outputs.adminClientKey : readFileSync(flags.key, "utf8");
  if (endpoints.length === 0 || caCertificate === undefined || clientCertificate === undefined || clientKey === undefined) {
    const missing = [
      endpoints.length === 0 ? "--endpoints (or clientEndpoints)" : "",
      caCertificate === undefined ? "--cacert (or caCertificate)" : "",
      clientCertificate === undefined ? "--cert (or adminClientCertificate)" : "",
      clientKey === undefined ? "--key (or adminClientKey)" : "",
    ].filter((item) => item !== "");
    throw new Error(`missing connection settings: ${missing.join(", ")}; give the flags or --outputs <stack outputs JSON>`);
  }
  return { endpoints, caCertificate, clientCertificate, clientKey };
}

/** How a client treats a failed request. */
export type FailureHandling =
  /** etcd3's default: a recoverable failure is retried (3 attempts), on another member when there is one. */
  | "retry"
  /** One attempt, as `etcdctl endpoint health` makes: a probe must report what one request saw. */
  | "once";

/**
 * A client of the given endpoints (one member, or the whole cluster). Unary requests time out after
 * REQUEST_TIMEOUT_MS; streams (snapshot) run as long as they need.
 */
export function connect(access: ClusterAccess, endpoints: readonly string[] = access.endpoints, failures: FailureHandling = "retry"): Etcd3 {
  return new Etcd3({
    hosts: [...endpoints],
    credentials: {
      rootCertificate: Buffer.from(access.caCertificate),
      certChain: Buffer.from(access.clientCertificate),
      privateKey: Buffer.from(access.clientKey),
    },
    dialTimeout: REQUEST_TIMEOUT_MS,
    // gRPC's default 4 MiB receive limit is below one page of large values (etcd allows 1.5 MiB each).
    grpcOptions: { "grpc.max_receive_message_length": -1 },
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + REQUEST_TIMEOUT_MS }),
    faultHandling: failures === "once" ? { global: noop, host: () => noop } : undefined,
  });
}
