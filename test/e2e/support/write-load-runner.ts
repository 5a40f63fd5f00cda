/**
 * Runs write-load.ts in the cluster's hub namespace and collects the keys etcd acknowledged, and
 * the number of puts that failed (its last stderr line, passed through to the test's stderr).
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { onCleanup } from "../../../dev/local-cluster/cleanup";
import type { LocalCluster } from "../../../dev/local-cluster/local-cluster";
import { nodeScriptArgv } from "../../../dev/local-cluster/namespace-exec";
import type { WriteLoadOptions } from "./write-load";

/** Upper bound of the wait for the first acknowledged writes. */
const ACKS_WITHIN_MS = 30_000;

export class WriteLoad {
  private readonly acknowledged: string[] = [];
  private readonly exited: Promise<void>;
  /** Kills the load now if still running, and drops it from the cleanup list. */
  private readonly releaseCleanup: () => void;
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private failures: number | undefined;

  private constructor(cluster: LocalCluster, prefix: string, writers: number, retryThroughRestarts: boolean) {
    const options: WriteLoadOptions = { endpoints: cluster.endpoints(), ...cluster.adminFiles, prefix, writers, retryThroughRestarts };
    const argv = nodeScriptArgv(join(__dirname, "write-load.ts"), JSON.stringify(options));
    this.child = spawn("ip", ["netns", "exec", cluster.network.hubNamespace, ...argv], { stdio: ["ignore", "pipe", "pipe"] });
    let partial = "";
    this.child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      this.acknowledged.push(...lines);
    });
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      process.stderr.write(chunk);
      const reported = /write-load: (\d+) puts failed/.exec(chunk);
      if (reported !== null) this.failures = Number(reported[1]);
    });
    this.exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
    this.releaseCleanup = onCleanup(() => this.child.kill("SIGKILL"));
  }

  /**
   * Starts `writers` concurrent writers putting keys under `prefix` through every member; with
   * `retryThroughRestarts` each put is retried through member restarts (etcd-client.ts).
   */
  static start(cluster: LocalCluster, prefix: string, writers: number, retryThroughRestarts = false): WriteLoad {
    return new WriteLoad(cluster, prefix, writers, retryThroughRestarts);
  }

  /** Waits until at least `count` writes were acknowledged (bounded). */
  async waitForAcknowledged(count: number): Promise<void> {
    const started = Date.now();
    while (this.acknowledged.length < count) {
      if (Date.now() - started > ACKS_WITHIN_MS) throw new Error(`only ${this.acknowledged.length} writes acknowledged`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stops the writers (they settle their in-flight puts) and returns every acknowledged key. */
  async stop(): Promise<readonly string[]> {
    this.child.kill("SIGTERM");
    await this.exited;
    this.releaseCleanup();
    return this.acknowledged;
  }

  /** Puts that failed (after the client's own retries), as the load reported on exit; throws before `stop`. */
  get failedPuts(): number {
    if (this.failures === undefined) throw new Error("the write load reported no failure count: stop it first");
    return this.failures;
  }
}
