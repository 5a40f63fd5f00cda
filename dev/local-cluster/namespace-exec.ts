/**
 * Runs a command inside a network namespace (`ip netns exec`), as on that host.
 */
import { execFile } from "node:child_process";

/** The outcome of a command; a failed run is a value, not an exception. */
export interface CommandResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `argv` in `namespace` with extra environment variables; never throws for a non-zero exit. */
export function execInNamespace(namespace: string, argv: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile("ip", ["netns", "exec", namespace, ...argv], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ ok: error === null, stdout, stderr }));
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
