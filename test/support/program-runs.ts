/**
 * Offline runs of index.ts shared by the tests of one process: each (stack, mode) runs once, and
 * runs never overlap (the Pulumi SDK keeps one global run state).
 */
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { runProgram } from "../../dev/mock-runtime/run-stack";

/** `pulumi preview` or `pulumi up`. */
export type RunMode = "preview" | "update";

/** Both modes, preview first. */
export const RUN_MODES: readonly RunMode[] = ["preview", "update"];

const runs = new Map<string, Promise<ProgramRun>>();
let lastRun: Promise<unknown> = Promise.resolve();

/** The run of index.ts for the stack file in this mode, with placeholder certificates. */
export function programRun(stack: string, mode: RunMode): Promise<ProgramRun> {
  const key = `${stack}/${mode}`;
  let run = runs.get(key);
  if (run === undefined) {
    run = lastRun.catch(() => undefined).then(() => runProgram({ stack, preview: mode === "preview" }));
    lastRun = run;
    runs.set(key, run);
  }
  return run;
}
