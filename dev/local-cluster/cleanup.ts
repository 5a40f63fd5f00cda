/**
 * Everything the local-cluster harness (the e2e suite, the try command) creates on the host (network namespaces, etcd processes, temp dirs)
 * is registered here and removed however the process ends: by the suite's `after` hook, on a
 * normal exit, on SIGINT/SIGTERM, or, for a crashed earlier run, by `sweepLeftovers` at the next
 * start. Names carry the owning process ID so the sweep only touches what a dead run left behind.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Prefix of every namespace and temp dir the harness creates: `etcd-e2e-<pid>-…`. */
export const E2E_PREFIX = "etcd-e2e";

/** A name unique to this process: `etcd-e2e-<pid>-<suffix>`. */
export function runScopedName(suffix: string): string {
  return `${E2E_PREFIX}-${process.pid}-${suffix}`;
}

type Cleanup = () => void;

/** Cleanups still to run, newest first when run (processes before the namespaces they live in). */
const pending: Cleanup[] = [];

/** Registers a synchronous cleanup; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(cleanup: Cleanup): () => void {
  pending.push(cleanup);
  return () => {
    const index = pending.indexOf(cleanup);
    if (index >= 0) {
      pending.splice(index, 1);
      cleanup();
    }
  };
}

/** Runs every registered cleanup, newest first; a failing cleanup does not stop the others. */
export function runAllCleanups(): void {
  while (pending.length > 0) {
    const cleanup = pending.pop();
    try {
      cleanup?.();
    } catch (error) {
      console.error(`e2e cleanup failed: ${String(error)}`);
    }
  }
}

let exitHandlersInstalled = false;

/** Makes sure cleanups run when the process exits or is interrupted, even if a test hangs or throws. */
export function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  process.on("exit", runAllCleanups);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      runAllCleanups();
      process.kill(process.pid, signal);
    });
  }
}

/** True while the process runs; a zombie (killed, not yet reaped) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 3, after the parenthesised command name, is the state.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** The owning process ID of a harness name, or undefined for a name the harness did not make. */
function ownerPid(name: string): number | undefined {
  const match = new RegExp(`^${E2E_PREFIX}-(\\d+)-`).exec(name);
  return match ? Number(match[1]) : undefined;
}

/** True for a harness name (namespace, temp dir) whose owning process no longer runs. */
export function isLeftover(name: string): boolean {
  const pid = ownerPid(name);
  return pid !== undefined && pid !== process.pid && !isAlive(pid);
}

/** Kills every process inside a network namespace and deletes it. */
export function deleteNamespace(namespace: string): void {
  const pids = execFileSync("ip", ["netns", "pids", namespace], { encoding: "utf8" }).split(/\s+/).filter(Boolean);
  for (const pid of pids) {
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  execFileSync("ip", ["netns", "delete", namespace]);
}

/** Removes namespaces and temp dirs left by harness runs whose process no longer exists. */
export function sweepLeftovers(): void {
  const namespaces = execFileSync("ip", ["netns", "list"], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter(isLeftover);
  for (const namespace of namespaces) {
    console.log(`e2e: removing namespace ${namespace} left by an earlier run`);
    deleteNamespace(namespace);
  }
  for (const entry of readdirSync(tmpdir()).filter(isLeftover)) {
    console.log(`e2e: removing ${join(tmpdir(), entry)} left by an earlier run`);
    rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}
