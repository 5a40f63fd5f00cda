/**
 * Every member script is a plain bash file beside this module, read two ways:
 * - the procedures that read their member's values from its etcd config at run time
 *   (replace-member.sh, join-cluster.sh, remove-member.sh) share member-config-lib.sh: each sources
 *   it from its own directory, so it runs as is from the repository, and the installed copy gets
 *   the library inlined in place of that `source` line, so a member needs one file per script;
 * - the scripts rendered for one member (boot.sh, restore.sh, backup.sh, defrag.sh, member-metrics.sh)
 *   get that member's values as readonly lines after their shebang (`scriptWithSettings`); the job
 *   scripts share job-lib.sh, local-etcdctl-lib.sh and snapshot-lib.sh, inlined the same way.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The library of the procedures, as they source it. */
const LIBRARY_FILE = "member-config-lib.sh";

/**
 * The lines a script sources a library beside it with: shellcheck's directive naming the file, then
 * `source` from the script's own directory (`$0` in a script that is run, `${BASH_SOURCE[0]}` in one
 * the unit tests also source).
 */
const SOURCE_LINES = /^# shellcheck source=([\w.-]+\.sh)\nsource "\$\(dirname "(?:\$0|\$\{BASH_SOURCE\[0\]\})"\)\/\1"\n/gm;

/** A library without its shellcheck `shell=` directive, which only a standalone file needs. */
function libraryText(library: string): string {
  return readFileSync(join(__dirname, library), "utf8").replace(/^# shellcheck shell=bash\n/, "");
}

/** `script` with each library it sources inlined in place of its source lines, so a member needs one file per script. */
function withLibrariesInlined(script: string): string {
  return script.replace(SOURCE_LINES, (_lines, library: string) => libraryText(library));
}

/**
 * The script `fileName` (beside this module) as a member receives it: byte for byte, except that
 * the libraries are inlined where the script sources them. Throws when the script does not source
 * member-config-lib.sh exactly once: the installed copy would then miss the helpers.
 */
export function memberScriptSource(fileName: string): string {
  const script = readFileSync(join(__dirname, fileName), "utf8");
  const sourced = [...script.matchAll(SOURCE_LINES)].filter((match) => match[1] === LIBRARY_FILE).length;
  if (sourced !== 1)
    throw new Error(
      `${fileName} must source ${LIBRARY_FILE} exactly once, with the lines:\n# shellcheck source=${LIBRARY_FILE}\nsource "$(dirname "$0")/${LIBRARY_FILE}"`,
    );
  return withLibrariesInlined(script);
}

/**
 * The script `fileName` (beside this module) as one member receives it: its shebang, a line naming
 * the renderer, the member's `settings` (readonly lines), then the rest of the file byte for byte
 * with its libraries inlined, or without its comment lines when `withoutComments` (they document
 * the file in the repository).
 */
export function scriptWithSettings(fileName: string, renderer: string, settings: readonly string[], options: { readonly withoutComments?: boolean } = {}): string {
  const [shebang, ...lines] = withLibrariesInlined(readFileSync(join(__dirname, fileName), "utf8")).split("\n");
  const rest = options.withoutComments ? lines.filter((line) => !/^\s*#/.test(line)) : lines;
  return [shebang, `# Rendered by src/core/member/scripts/${renderer} for this member.`, ...settings, ...rest].join("\n");
}
