/**
 * The deployer-side scripts (health-gate.sh, cluster-gate.sh in ./scripts), which `pulumi up` runs
 * through @pulumi/command on the deployer: plain POSIX sh files that shellcheck reads as files.
 * They share run-on-instance.sh, sourced from their own directory; the rendered copy gets it
 * inlined in place of that line and its settings as readonly lines after the shebang.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SSM_DELIVERY_TIMEOUT_SECONDS } from "./ssm-run-command";
import { shellQuote } from "../formats/shell-quote";

const SCRIPTS_DIR = join(__dirname, "scripts");
const LIBRARY_FILE = "run-on-instance.sh";

/** The exact lines a script sources the library with (shellcheck's directive and the `.`). */
const SOURCE_LINES = `# shellcheck source=${LIBRARY_FILE}\n. "$(dirname "$0")/${LIBRARY_FILE}"\n`;

/** A rendered setting: a number as is, a string single-quoted. */
export type ScriptSettings = Readonly<Record<string, string | number>>;

/** Lines without comment lines: the files document themselves, the rendered copies (every plan shows them) keep only shellcheck's directives. */
function withoutComments(lines: readonly string[]): string[] {
  return lines.filter((line) => !/^\s*#/.test(line) || /^\s*# shellcheck disable=/.test(line));
}

/** The run-on-instance functions, as rendered scripts inline them. */
export function runOnInstanceLibrary(): string {
  return withoutComments(readFileSync(join(SCRIPTS_DIR, LIBRARY_FILE), "utf8").split("\n")).join("\n");
}

/** The readonly lines of `settings`, SSM_DELIVERY_TIMEOUT_SECONDS first (the library reads it). */
export function readonlySettings(settings: ScriptSettings): string[] {
  const all: ScriptSettings = { SSM_DELIVERY_TIMEOUT_SECONDS, ...settings };
  return Object.entries(all).map(([name, value]) => `readonly ${name}=${typeof value === "number" ? value : shellQuote(value)}`);
}

/**
 * `fileName` (in ./scripts) as the deployer runs it: the shebang, a line naming this renderer,
 * `settings` as readonly lines, then the script with the library inlined where it sources it,
 * without comment lines (shellcheck directives kept).
 * Throws when the script does not source the library exactly once.
 */
export function deployerScriptSource(fileName: string, settings: ScriptSettings): string {
  const script = readFileSync(join(SCRIPTS_DIR, fileName), "utf8");
  const parts = script.split(SOURCE_LINES);
  if (parts.length !== 2) throw new Error(`${fileName} must source ${LIBRARY_FILE} exactly once, with the lines:\n${SOURCE_LINES}`);
  const [shebang, ...lines] = parts.join(runOnInstanceLibrary()).split("\n");
  return [
    shebang,
    `# Rendered by src/core/aws/deployer-script-source.ts from src/core/aws/scripts/${fileName}.`,
    ...readonlySettings(settings),
    ...withoutComments(lines),
  ].join("\n");
}
