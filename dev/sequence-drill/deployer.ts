/**
 * The deployer's side of a drill: the `command:local:Command` resources the program declares
 * (health gates, member removals, whatever else) run their `create`, `update` or `delete` script
 * as the command provider would, with the resource's `environment`, on a PATH whose `aws` is
 * deployer-aws-cli.ts and whose `sleep` lasts one second (the deployer's clock runs fast: a gate's
 * pause between checks is 1 s, not 10). Each run is bounded by COMMAND_BOUND_MS; past it the run
 * is killed and counts as failed, as a gate that gave up.
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isRecordedObject, recordedText, SecretValue, type RecordedValue } from "../mock-runtime/recorded-value";
import type { RecordedResource } from "../mock-runtime/run-record";
import type { DeployerAwsState, DrillInstance } from "./deployer-aws-cli";

/** Wall-time bound of one command run. */
export const COMMAND_BOUND_MS = 75_000;

const REPO_ROOT = resolve(__dirname, "../..");

export interface CommandRun {
  readonly ok: boolean;
  /** stdout and stderr, in that order. */
  readonly output: string;
  /** The last line the script printed on stdout: its verdict when it succeeds. */
  readonly lastLine: string;
}

function plain(value: RecordedValue | undefined): RecordedValue | undefined {
  return value instanceof SecretValue ? value.value : value;
}

/** The script the provider runs for `operation`: update falls back to create, as the command provider does. */
export function commandScript(resource: RecordedResource, operation: "create" | "update" | "delete"): string | undefined {
  const pick = (key: string) => {
    const value = plain(resource.inputs[key]);
    return typeof value === "string" ? value : undefined;
  };
  return operation === "update" ? (pick("update") ?? pick("create")) : pick(operation);
}

export class Deployer {
  private readonly binDir: string;
  private readonly statePath: string;
  private readonly commandsDir: string;

  constructor(workDir: string) {
    this.binDir = join(workDir, "deployer-bin");
    this.statePath = join(workDir, "deployer-aws.json");
    this.commandsDir = join(workDir, "ssm-commands");
    mkdirSync(this.binDir, { recursive: true });
    const cli = join(__dirname, "deployer-aws-cli.ts");
    writeFileSync(join(this.binDir, "aws"), `#!/bin/sh\nexec '${process.execPath}' --no-deprecation --import tsx '${cli}' "$@"\n`);
    writeFileSync(join(this.binDir, "sleep"), "#!/bin/sh\nexec /bin/sleep 1\n");
    for (const tool of ["aws", "sleep"]) chmodSync(join(this.binDir, tool), 0o755);
  }

  /** Runs the resource's script for `operation` against `instances`; a resource without one succeeds at once. */
  run(
    resource: RecordedResource,
    operation: "create" | "update" | "delete",
    instances: readonly DrillInstance[],
    parameters: Readonly<Record<string, string>>,
  ): Promise<CommandRun> {
    const script = commandScript(resource, operation);
    if (script === undefined) return Promise.resolve({ ok: true, output: "", lastLine: "" });
    const environment = plain(resource.inputs["environment"]);
    const declared = isRecordedObject(environment) ? Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, recordedText(plain(value))])) : {};
    return this.runScript(script, declared, instances, parameters);
  }

  /** Runs `script` on the deployer (an operator's shell: the same `aws` and clock) with `declared` in its environment. */
  runScript(
    script: string,
    declared: Readonly<Record<string, string>>,
    instances: readonly DrillInstance[],
    parameters: Readonly<Record<string, string>>,
  ): Promise<CommandRun> {
    const state: DeployerAwsState = { instances, parameters, commandsDir: this.commandsDir };
    writeFileSync(this.statePath, JSON.stringify(state));
    const env = {
      ...process.env,
      ...declared,
      PATH: `${this.binDir}:${process.env["PATH"] ?? ""}`,
      SEQ_DRILL_AWS_STATE: this.statePath,
      SEQ_SYSTEM_PATH: process.env["PATH"] ?? "",
    };
    return new Promise((done) => {
      // One stream, as the engine shows a command's output: stderr interleaved with stdout.
      execFile(
        "sh",
        ["-c", `exec 2>&1\n${script}`],
        { env, cwd: REPO_ROOT, timeout: COMMAND_BOUND_MS, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const bounded = error !== null && (error as { killed?: boolean }).killed === true ? `\n(killed by the drill's bound of ${COMMAND_BOUND_MS} ms)` : "";
          done({ ok: error === null, output: `${stdout}${stderr}${bounded}`, lastLine: stdout.trim().split("\n").at(-1) ?? "" });
        },
      );
    });
  }
}
