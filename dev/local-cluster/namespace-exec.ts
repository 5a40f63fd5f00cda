/**
 * Runs a command inside a network namespace (`ip netns exec`), as on that host.
 */
import { execFile, type ExecFileException } from "node:child_process";

/** The outcome of a command; a failed run is a value, not an exception. */
export interface CommandResult {
  readonly ok: boolean;
  /** The process's exit status (-1: killed, or it could not start); absent for a result no process produced. */
  readonly code?: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CommandResult of an execFile callback. */
export function commandResult(error: ExecFileException | null, stdout: string, stderr: string): CommandResult {
  const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
  return { ok: error === null, code, stdout, stderr };
}

/** Runs `argv` in `namespace` with extra environment variables; never throws for a non-zero exit. */
export function execInNamespace(namespace: string, argv: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      "ip",
      ["netns", "exec", namespace, ...argv],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve(commandResult(error, stdout, stderr)),
    );
  });
}

/** Throws with the command's own message unless it succeeded; returns its stdout. */
export function expectOk(result: CommandResult, what: string): string {
  if (!result.ok) throw new Error(`${what} failed: ${result.stderr.trim() || result.stdout.trim()}`);
  return result.stdout;
}

/** argv running one of the harness's TypeScript scripts with this process's Node (deprecation warnings of dependencies muted). */
export function nodeScriptArgv(scriptPath: string, ...args: string[]): string[] {
  return [process.execPath, "--no-deprecation", "--import", "tsx", scriptPath, ...args];
}
