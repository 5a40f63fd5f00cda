/**
 * Every member script is a plain bash file beside this module, read two ways:
 * - the procedures that read their member's values from its etcd config at run time
 *   (replace-member.sh, join-cluster.sh, remove-member.sh) share member-config-lib.sh: each sources
 *   it from its own directory, so it runs as is from the repository, and the installed copy gets
 *   the library inlined in place of that `source` line, so a member needs one file per script;
 * - the scripts rendered for one member (boot.sh, member-metrics.sh, …) get that member's values as
 *   readonly lines after their shebang (`scriptWithSettings`), the rest of the file unchanged.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The library's file name, as the scripts source it. */
const LIBRARY_FILE = "member-config-lib.sh";

/** The exact lines a script sources the library with (shellcheck's directive and the `source`). */
const SOURCE_LINES = `# shellcheck source=${LIBRARY_FILE}\nsource "$(dirname "$0")/${LIBRARY_FILE}"\n`;

/** The library without its shellcheck `shell=` directive, which only a standalone file needs. */
function libraryText(): string {
  return readFileSync(join(__dirname, LIBRARY_FILE), "utf8").replace(/^# shellcheck shell=bash\n/, "");
}

/**
 * The script `fileName` (beside this module) as a member receives it: byte for byte, except that
 * the library is inlined where the script sources it. Throws when the script does not source it
 * exactly once: the installed copy would then miss the helpers.
 */
export function memberScriptSource(fileName: string): string {
  const script = readFileSync(join(__dirname, fileName), "utf8");
  const parts = script.split(SOURCE_LINES);
  if (parts.length !== 2) throw new Error(`${fileName} must source ${LIBRARY_FILE} exactly once, with the lines:\n${SOURCE_LINES}`);
  return parts.join(libraryText());
}

/**
 * The script `fileName` (beside this module) as one member receives it: its shebang, a line naming
 * the renderer, the member's `settings` (readonly lines), then the rest of the file byte for byte,
 * or without its comment lines when `withoutComments` (they document the file in the repository).
 */
export function scriptWithSettings(
  fileName: string,
  renderer: string,
  settings: readonly string[],
  options: { readonly withoutComments?: boolean } = {},
): string {
  const [shebang, ...lines] = readFileSync(join(__dirname, fileName), "utf8").split("\n");
  const rest = options.withoutComments ? lines.filter((line) => !/^\s*#/.test(line)) : lines;
  return [shebang, `# Rendered by src/core/member/scripts/${renderer} for this member.`, ...settings, ...rest].join("\n");
}
