/** Reading and signalling processes that may exit at any moment. */
import { readFileSync } from "node:fs";

/** A /proc file's text; empty once the process is gone. */
export function readProcText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** The PIDs of a process's children (`/proc/<pid>/task/<pid>/children`). */
export function childPids(pid: number): number[] {
  return readProcText(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number);
}

/** SIGKILL, ignoring a process that is already gone. */
export function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
