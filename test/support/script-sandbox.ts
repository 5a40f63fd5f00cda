/**
 * Runs the functions of a member script for real: bash sources the script (a member script only
 * defines its functions when sourced) after the settings a test gives it, then runs the test's
 * steps, with stand-in commands first on PATH. Each stand-in appends `<name> <args>` to a call log
 * before doing what the test scripted, so a test asserts on what the script did, not on its text.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What one run did. */
export interface SandboxRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** One entry per stand-in call, `<name> <args>`, in call order. */
  readonly calls: readonly string[];
}

/** What a run is made of. */
export interface SandboxRunInput {
  /** Lines before the script is sourced: its rendered settings, e.g. `readonly data_dir='/tmp/…'`. */
  readonly settings?: readonly string[];
  /** The script file to source (absolute path). */
  readonly script: string;
  /** Bash run after the script is sourced: function calls, or a redefinition of a step. */
  readonly steps: string;
  /** Stand-ins: command name to the bash body it runs after logging its call (`$@` are its arguments). */
  readonly stubs?: Readonly<Record<string, string>>;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A temp directory for one test's files, and a runner whose stand-ins and call log live in it. */
export class ScriptSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), "script-sandbox-"));

  /** A path inside the sandbox (nothing created). */
  path(name: string): string {
    return join(this.dir, name);
  }

  /** Creates `name` inside the sandbox with `content`, and its parent directories. */
  file(name: string, content: string | Buffer = ""): string {
    const path = this.path(name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, content);
    return path;
  }

  /** Creates the directory `name` inside the sandbox, and its parents; returns its path. */
  directory(name: string): string {
    const path = this.path(name);
    mkdirSync(path, { recursive: true });
    return path;
  }

  run(input: SandboxRunInput): SandboxRun {
    const bin = mkdtempSync(join(this.dir, "bin-"));
    const calls = join(bin, "calls.log");
    for (const [name, body] of Object.entries(input.stubs ?? {})) {
      writeFileSync(join(bin, name), `#!/bin/bash\nprintf '%s\\n' "${name} $*" >> '${calls}'\n${body}\n`, { mode: 0o755 });
    }
    const program = [...(input.settings ?? []), `source '${input.script}'`, input.steps].join("\n");
    const result = spawnSync("bash", ["-c", program], {
      encoding: "utf8",
      env: { ...process.env, ...input.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
    });
    if (result.error) throw result.error;
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      calls: existsSync(calls)
        ? readFileSync(calls, "utf8")
            .split("\n")
            .filter((line) => line !== "")
        : [],
    };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs `body` with a fresh sandbox, removed afterwards whatever happens. */
export function inSandbox<T>(body: (sandbox: ScriptSandbox) => T): T {
  const sandbox = new ScriptSandbox();
  try {
    return body(sandbox);
  } finally {
    sandbox.remove();
  }
}
