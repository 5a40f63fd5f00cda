/**
 * Runs a deployer-side script (a gate, a member removal) against the AWS CLI stub
 * (dev/member-host/aws-cli-stub.sh, AWS_STUB_SSM_DIR backend): EC2 lists the given instances, and
 * SSM Run Command runs each command sent to an instance with that instance's stand-in shell,
 * under the command's execution timeout, checking the parameters AWS checks. The test sees what
 * the script printed and every command sent, with its parameters.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One instance EC2 knows. */
export interface StubInstance {
  readonly id: string;
  readonly state: "pending" | "running" | "stopping" | "stopped";
  /** Tags, e.g. `{ "etcd:cluster": "etcd-test", "etcd:member": "etcd-test-0" }`. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The instance's shell (sh source, run as `<host> -c COMMANDS`), standing in for what the
   * commands do there; absent: the instance's SSM agent is not registered.
   */
  readonly host?: string;
}

/** A command SSM ran, as recorded by the stub. */
export interface SentCommand {
  readonly instance: string;
  readonly comment: string;
  readonly parameters: { readonly commands: readonly string[]; readonly executionTimeout: readonly string[] };
  readonly code: number;
}

export interface StubRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly sent: readonly SentCommand[];
}

const STUB = join(__dirname, "../../dev/member-host/aws-cli-stub.sh");

/**
 * Runs `script` with sh, `env` and the stub as `aws`, against `instances` and the plain-text SSM
 * `parameters` (name → value; the member list).
 */
export function runAgainstSsmStub(
  script: string,
  instances: readonly StubInstance[],
  env: Readonly<Record<string, string>> = {},
  parameters: Readonly<Record<string, string>> = {},
): StubRun {
  const dir = mkdtempSync(join(tmpdir(), "ssm-stub-"));
  try {
    const [bin, ssm] = [join(dir, "bin"), join(dir, "ssm")];
    mkdirSync(join(ssm, "hosts"), { recursive: true });
    mkdirSync(bin);
    copyFileSync(STUB, join(bin, "aws"));
    chmodSync(join(bin, "aws"), 0o755);
    const tags = (instance: StubInstance) => Object.entries(instance.tags).map(([key, value]) => `${key}=${value}`);
    writeFileSync(join(ssm, "instances"), instances.map((instance) => [instance.id, instance.state, ...tags(instance)].join(" ") + "\n").join(""));
    for (const [name, value] of Object.entries(parameters)) {
      mkdirSync(join(ssm, "parameters", name, ".."), { recursive: true });
      writeFileSync(join(ssm, "parameters", name), `${value}\n`);
    }
    for (const instance of instances) {
      if (instance.host === undefined) continue;
      writeFileSync(join(ssm, "hosts", instance.id), `#!/bin/sh\n[ "$1" = -c ] || exit 99\n${instance.host}\n`, { mode: 0o755 });
    }
    const run = spawnSync("/bin/sh", ["-c", script], {
      env: { ...env, PATH: `${bin}:${process.env["PATH"] ?? ""}`, AWS_STUB_SSM_DIR: ssm },
      encoding: "utf8",
      timeout: 60_000,
    });
    const commandsDir = join(ssm, "commands");
    const records = existsSync(commandsDir) ? readdirSync(commandsDir).sort((a, b) => Number(a) - Number(b)) : [];
    const sent = records.map((record): SentCommand => {
      const read = (file: string) => readFileSync(join(commandsDir, record, file), "utf8");
      return {
        instance: read("instance"),
        comment: read("comment"),
        parameters: JSON.parse(read("parameters")) as SentCommand["parameters"],
        code: Number(read("code")),
      };
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, sent };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
