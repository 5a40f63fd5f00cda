/**
 * Collects what a program logs through `pulumi.log` during an offline run. With no engine
 * connected the SDK prints those messages to the console as `warning: [runtime] <message>`
 * (pulumi/log/index.ts); for the run's duration those lines are recorded instead of printed.
 * Other console output passes through untouched.
 */
import type { ProgramDiagnostic } from "./run-record";

type ConsoleMethod = "log" | "warn" | "error";

const PREFIXES: ReadonlyArray<readonly [ConsoleMethod, string, ProgramDiagnostic["severity"]]> = [
  ["log", "info: [runtime] ", "info"],
  ["warn", "warning: [runtime] ", "warning"],
  ["error", "error: [runtime] ", "error"],
];

/** Runs `body` while recording `pulumi.log` messages into `diagnostics`. */
export async function capturingPulumiLog<T>(diagnostics: ProgramDiagnostic[], body: () => Promise<T>): Promise<T> {
  // The very function objects are put back afterwards; they are only ever called bound (below).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const originals = PREFIXES.map(([method]) => [method, console[method]] as const);
  for (const [method, prefix, severity] of PREFIXES) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const [first] = args;
      if (args.length === 1 && typeof first === "string" && first.startsWith(prefix)) {
        diagnostics.push({ severity, message: first.slice(prefix.length) });
      } else {
        original(...args);
      }
    };
  }
  try {
    return await body();
  } finally {
    for (const [method, original] of originals) console[method] = original;
  }
}
