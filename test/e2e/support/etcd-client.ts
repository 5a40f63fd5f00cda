/**
 * The etcd3 client of the scripts that run as their own process in the hub namespace
 * (write-load.ts, backup-support/seed-keys.ts): they get the members' client URLs and the paths of a
 * TLS identity's PEM files as JSON, and read the files themselves.
 */
import { readFileSync } from "node:fs";
import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleWhen, isBrokenCircuitError, retry } from "cockatiel";
import { Etcd3, isRecoverableError, type IOptions } from "etcd3";
import type { IdentityFiles } from "../../../dev/local-cluster/etcdctl";

/** Where a hub script connects and as whom. */
export interface EtcdClientOptions extends IdentityFiles {
  /** Client URLs of the members to connect to, e.g. `https://10.0.0.10:2379`. */
  readonly endpoints: readonly string[];
  /**
   * Retry each request through a member's restart and the leader election it may cause, as a
   * production client's retry policy does (RETRY_THROUGH_RESTARTS_MS). Default: the etcd3 library's
   * policy, three immediate retries, which gives up while a member restarts.
   */
  readonly retryThroughRestarts?: boolean;
}

/** How long a request retried through restarts keeps trying; bounds the drills' requests. */
export const RETRY_THROUGH_RESTARTS_MS = 15_000;

/**
 * Any error the library counts as recoverable (UNAVAILABLE and the like), and the error of a host
 * whose circuit breaker is open, retried with backoff on another host; each host's breaker opens
 * after 3 consecutive failures and half-opens after a second, so a restarted member is used again
 * soon after it is back.
 */
function faultHandlingThroughRestarts(): IOptions["faultHandling"] {
  const recoverable = handleWhen((error) => isRecoverableError(error) || isBrokenCircuitError(error));
  return {
    global: retry(recoverable, { maxAttempts: 30, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1_000 }) }),
    host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: 1_000, breaker: new ConsecutiveBreaker(3) }),
  };
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
    ...(options.retryThroughRestarts === true ? { faultHandling: faultHandlingThroughRestarts() } : {}),
  });
}
