/**
 * Runs a deployer-side script (a health gate, a member removal) with a stand-in `aws` CLI first on
 * PATH that records every call's arguments and answers each `<service> <operation>` as told, so a
 * test sees exactly the AWS CLI calls the script makes, with their real arguments.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shellQuote } from "../../src/core/formats/shell-quote";

/** One call of the `aws` CLI: its arguments, e.g. `["ssm", "send-command", "--instance-ids", "i-0…", …]`. */
export type AwsCliCall = readonly string[];

/** What the script printed and exited with, and the calls it made. */
export interface RecordedScriptRun {
  readonly status: number | null;
  readonly output: string;
  readonly calls: readonly AwsCliCall[];
}

/**
 * Runs `script` with `sh`, the given environment and the stand-in CLI. `answers` maps
 * `<service> <operation>` to what the CLI prints (exit 0); any other call exits 254 saying so.
 */
export function runWithRecordingAwsCli(script: string, env: Readonly<Record<string, string>>, answers: Readonly<Record<string, string>>): RecordedScriptRun {
  const dir = mkdtempSync(join(tmpdir(), "aws-cli-recorder-"));
  try {
    const log = join(dir, "calls.log");
    const cases = Object.entries(answers).map(([call, answer]) => `  ${shellQuote(call)}) printf '%s\\n' ${shellQuote(answer)} ;;`);
    // Arguments end with the unit separator (0x1f), calls with the record separator (0x1e).
    writeFileSync(
      join(dir, "aws"),
      `#!/bin/sh
for arg in "$@"; do printf '%s\\037' "$arg"; done >> ${shellQuote(log)}
printf '\\036' >> ${shellQuote(log)}
case "$1 $2" in
${cases.join("\n")}
  *) echo "stand-in aws CLI: no answer for $1 $2" >&2; exit 254 ;;
esac
`,
    );
    chmodSync(join(dir, "aws"), 0o755);
    writeFileSync(log, "");
    const run = spawnSync("/bin/sh", ["-c", script], { env: { ...env, PATH: `${dir}:${process.env["PATH"] ?? ""}` }, encoding: "utf8", timeout: 60_000 });
    const calls = readFileSync(log, "utf8")
      .split("\x1e")
      .filter((record) => record !== "")
      .map((record) => record.split("\x1f").slice(0, -1));
    return { status: run.status, output: run.stdout + run.stderr, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
