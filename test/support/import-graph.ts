/**
 * The import graph of src/core, read the way TypeScript reads it (`ts.preProcessFile`: static
 * imports, `import type`, re-exports, `require` and `import()`), and the layering rules it must keep.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/** One import: the importing file and what it names, both relative to the repository. */
export interface ImportEdge {
  /** The importing file, e.g. `src/core/etcd/tuning.ts`. */
  readonly from: string;
  /** A package specifier (`zod`, `@pulumi/pulumi`, `node:fs`) or the resolved path (`src/core/config/types`). */
  readonly to: string;
  /** True when `to` names a package, false for a file of the repository. */
  readonly isPackage: boolean;
}

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Every import of every `.ts` file below `dir` (relative to `root`); relative specifiers resolved. */
export function importEdges(root: string, dir: string): ImportEdge[] {
  return typescriptFiles(path.join(root, dir)).flatMap((file) => {
    const from = path.relative(root, file).split(path.sep).join("/");
    const imported = ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles;
    return imported.map(({ fileName }) =>
      fileName.startsWith(".")
        ? { from, to: path.posix.normalize(path.posix.join(path.posix.dirname(from), fileName)), isPackage: false }
        : { from, to: fileName, isPackage: true },
    );
  });
}

const CORE = "src/core/";

/** The src/core folder a path lies in (`src/core/member/scripts/x.ts` → `member`); undefined outside src/core. */
export function coreFolder(file: string): string | undefined {
  if (!file.startsWith(CORE)) return undefined;
  const rest = file.slice(CORE.length);
  return rest.includes("/") ? rest.slice(0, rest.indexOf("/")) : undefined;
}

/** Which src/core folders a folder must not import from. */
export type ForbiddenFolders = Readonly<Record<string, readonly string[]>>;

/**
 * The layering of src/core, one line per broken rule (`<file> imports <target>: <rule>`):
 * - nothing imports @pulumi/* or a file outside src/core (the core is pure and at the bottom);
 * - a folder imports none of the folders `forbidden` lists for it;
 * - no cycle between folders (each cycle is named once, with one import per step).
 */
export function layeringProblems(edges: readonly ImportEdge[], forbidden: ForbiddenFolders): string[] {
  const problems: string[] = [];
  for (const edge of edges) {
    if (edge.to.startsWith("@pulumi/")) problems.push(`${edge.from} imports ${edge.to}: src/core imports no Pulumi`);
    else if (!edge.isPackage && !edge.to.startsWith(CORE)) {
      problems.push(`${edge.from} imports ${edge.to}: src/core imports nothing outside src/core`);
    }
    const from = coreFolder(edge.from);
    const to = coreFolder(edge.to);
    if (from !== undefined && to !== undefined && (forbidden[from] ?? []).includes(to)) {
      problems.push(`${edge.from} imports ${edge.to}: ${from} imports nothing from ${forbidden[from].join(", ")}`);
    }
  }
  return [...problems, ...folderCycles(edges)];
}

/** Every elementary cycle between folders, as `a → b → a (a/x.ts imports b/y, …)`. */
function folderCycles(edges: readonly ImportEdge[]): string[] {
  const witness = new Map<string, ImportEdge>();
  for (const edge of edges) {
    const from = coreFolder(edge.from);
    const to = coreFolder(edge.to);
    if (from !== undefined && to !== undefined && from !== to && !witness.has(`${from} ${to}`)) witness.set(`${from} ${to}`, edge);
  }
  const next = new Map<string, string[]>();
  for (const key of witness.keys()) {
    const [from, to] = key.split(" ") as [string, string];
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const cycles: string[] = [];
  const folders = [...next.keys()].sort();
  // Each cycle is reported from its smallest folder, so it appears once.
  const walk = (start: string, pathSoFar: readonly string[]): void => {
    for (const to of next.get(pathSoFar.at(-1)!) ?? []) {
      if (to === start) {
        const steps = [...pathSoFar, start];
        const imports = steps.slice(1).map((folder, i) => {
          const edge = witness.get(`${steps[i]} ${folder}`)!;
          return `${edge.from} imports ${edge.to}`;
        });
        cycles.push(`folder cycle ${steps.join(" → ")} (${imports.join("; ")})`);
      } else if (to > start && !pathSoFar.includes(to)) {
        walk(start, [...pathSoFar, to]);
      }
    }
  };
  for (const start of folders) walk(start, [start]);
  return cycles;
}
