/**
 * Starts one of the benchmark's client scripts (bench/clients/*.ts) as its own Node process in a
 * cluster's hub namespace, where the members are reachable, and reads its JSON result. Registered
 * with the harness's cleanup, so an interrupted run leaves no client behind.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { onCleanup } from "../../dev/local-cluster/cleanup";
import { nodeScriptArgv } from "../../dev/local-cluster/namespace-exec";

export class HubProcess<Result> {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly lines: string[] = [];
  private readonly waiters: (() => void)[] = [];
  private stderr = "";
  private hasExited = false;
  private readonly exited: Promise<number | null>;
  private readonly release: () => void;

  /** Starts `bench/clients/<script>` in `namespace` with `argument` as its JSON argument. */
  constructor(namespace: string, script: string, argument: unknown) {
    const argv = nodeScriptArgv(join(__dirname, script), JSON.stringify(argument));
    this.child = spawn("ip", ["netns", "exec", namespace, ...argv], { stdio: ["pipe", "pipe", "pipe"] });
    this.release = onCleanup(() => this.child.kill("SIGKILL"));
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      this.lines.push(line);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.exited = once(this.child, "exit").then(([code]) => {
      this.hasExited = true;
      for (const wake of this.waiters.splice(0)) wake();
      return code as number | null;
    });
  }

  /** Waits until the process printed `line`; throws if it exits first. */
  async waitForLine(line: string): Promise<void> {
    while (!this.lines.includes(line)) {
      if (this.hasExited) throw new Error(`client exited before printing "${line}": ${this.stderr.trim()}`);
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits for the exit; the last stdout line parsed as the result. Throws with stderr on failure. */
  async result(): Promise<Result> {
    const code = await this.exited;
    this.release();
    if (code !== 0) throw new Error(`client failed (exit ${code}): ${this.stderr.trim()}`);
    return JSON.parse(this.lines.at(-1) ?? "null") as Result;
  }
}
