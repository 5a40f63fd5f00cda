/**
 * Runs the Debian tools that judge rendered artefacts: `cloud-init schema` (user data), `shellcheck`
 * (shell scripts) and `systemd-analyze verify` (units), each on a string, and `promtool` (Prometheus
 * rules). `.ci/run` installs them.
 *
 * A missing tool skips the calling test with the reason, but only outside CI: under CI
 * (`process.env.CI` set) a missing tool fails the test, so a green run always means the check ran.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { TestContext } from "node:test";

/** The external checkers these helpers run. */
export type LintTool = "cloud-init" | "shellcheck" | "systemd-analyze" | "promtool";

/** What a checker said about one input. */
export interface LintReport {
  /** True when the tool accepted the input without errors or warnings. */
  readonly passed: boolean;
  /** The tool's combined stdout and stderr, for the assertion message. */
  readonly output: string;
}

function isInstalled(tool: LintTool): boolean {
  return spawnSync(tool, ["--version"], { stdio: "ignore" }).error === undefined;
}

/**
 * Returns true when `tool` can run. Otherwise skips the test with a clear reason and returns false,
 * or, under CI, throws: there a missing checker is a broken machine, not a reason to skip.
 */
export function toolAvailable(t: TestContext, tool: LintTool): boolean {
  if (isInstalled(tool)) return true;
  const reason = `${tool} is not installed (Debian package; .ci/run installs it)`;
  if (process.env.CI) throw new Error(`${reason}: required under CI`);
  t.skip(reason);
  return false;
}

function run(command: string, args: readonly string[], input?: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, { input, encoding: "utf8" });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** Runs `body` with a fresh temp directory that is removed afterwards, whatever happens. */
function inTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "etcd-lint-"));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `cloud-init schema -c <file>`: the user data must be valid cloud-config. */
export function checkCloudConfig(userData: string): LintReport {
  return inTempDir((dir) => {
    const file = join(dir, "user-data");
    writeFileSync(file, userData);
    const { status, output } = run("cloud-init", ["schema", "-c", file]);
    return { passed: status === 0, output };
  });
}

/** `shellcheck` with every finding (down to style) counted as a failure. */
export function checkShellScript(script: string, shell: "bash" | "sh" = "bash"): LintReport {
  const { status, output } = run("shellcheck", ["--shell", shell, "--severity", "style", "-"], script);
  return { passed: status === 0, output };
}

/**
 * `shellcheck` of a script file as it lies in the repository (its shebang names the shell), every
 * finding counted, following the libraries it sources from its own directory.
 */
export function checkShellScriptFile(path: string): LintReport {
  const { status, output } = run("shellcheck", ["--external-sources", "--source-path=SCRIPTDIR", "--severity", "style", path]);
  return { passed: status === 0, output };
}

/** As checkShellScriptFile, following the files the script sources from its own directory (`-x -P SCRIPTDIR`). */
export function checkShellScriptFileWithSources(path: string): LintReport {
  const { status, output } = run("shellcheck", ["--severity", "style", "--external-sources", "--source-path", "SCRIPTDIR", path]);
  return { passed: status === 0, output };
}

/** Executables named by the unit's `Exec*=` lines (absolute paths, without systemd's `-@:+!` prefixes). */
function unitExecutables(unit: string): string[] {
  const paths = [...unit.matchAll(/^Exec\w+=[-@:+!]*(\/\S+)/gm)].map((match) => match[1]);
  return [...new Set(paths)];
}

const HOST_UNIT_DIRS = ["/usr/lib/systemd/system", "/lib/systemd/system"];

/**
 * `systemd-analyze verify` of a unit, byte for byte as rendered. verify checks that each `ExecStart`
 * binary exists, which on this machine it does not (the boot script installs etcd on the member), so
 * the unit is verified inside a scratch root (`--root`): the unit under `etc/systemd/system`, an
 * executable stub at every `Exec*=` path, and a copy of the host's unit directory for the targets the
 * unit is ordered against (`sysinit.target`, …). Unknown keys only produce warnings with exit code 0,
 * so any output naming the unit also fails the check.
 */
export function verifySystemdUnit(unitName: string, unit: string, companions: Readonly<Record<string, string>> = {}): LintReport {
  return inTempDir((root) => {
    const unitDir = join(root, "etc/systemd/system");
    mkdirSync(unitDir, { recursive: true });
    writeFileSync(join(unitDir, unitName), unit);
    // Units the verified one needs beside it, e.g. a socket's `Accept=yes` service template.
    for (const [name, content] of Object.entries(companions)) writeFileSync(join(unitDir, name), content);
    for (const executable of unitExecutables([unit, ...Object.values(companions)].join("\n"))) {
      const stub = join(root, executable);
      mkdirSync(dirname(stub), { recursive: true });
      writeFileSync(stub, "#!/bin/sh\n");
      chmodSync(stub, 0o755);
    }
    const hostUnits = HOST_UNIT_DIRS.find((dir) => existsSync(dir));
    if (hostUnits === undefined) throw new Error(`no systemd unit directory found in ${HOST_UNIT_DIRS.join(", ")}`);
    cpSync(hostUnits, join(root, "usr/lib/systemd/system"), { recursive: true, verbatimSymlinks: true });
    const { status, output } = run("systemd-analyze", ["verify", "--man=no", `--root=${root}`, unitName]);
    return { passed: status === 0 && !output.includes(unitName), output };
  });
}
