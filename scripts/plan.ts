/**
 * `npm run plan -- <stack> [--preview] [--write] [--diff <git-ref>]`: renders what the program would
 * create for a stack, offline: no cloud credentials, no Pulumi CLI (dev/mock-runtime runs index.ts under
 * mocks). `--write` stores the plan as test/golden/<stack>.plan.txt, which the tests compare against.
 * `--preview` shows what `pulumi preview` knows before anything exists (computed values unknown).
 * `--diff <git-ref>` renders the stack at that ref and now and prints, per member in rollout order,
 * the resources replaced and the unified diff of every file the member gets.
 * `--list-stacks` prints the stack names, one a line (the workflows loop over them).
 */
import { existsSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { renderPlanDiff } from "../dev/plan/plan-diff";
import { withProjectAtRef } from "../dev/plan/project-at-ref";
import { goldenPlanPath, stackPlan } from "../dev/plan/stack-plan";
import type { ProgramRun } from "../dev/mock-runtime/run-record";
import { stackConfigDir } from "../dev/mock-runtime/project-file";
import { runProgram } from "../dev/mock-runtime/run-stack";
import { stackFilePath, stackNames } from "../dev/mock-runtime/stack-files";

const USAGE = "usage: npm run plan -- <stack> [--preview] [--write] [--diff <git-ref>] | --list-stacks";
const FLAGS = new Set(["--preview", "--write", "--diff", "--list-stacks"]);

interface PlanArgs {
  readonly stack?: string;
  readonly flags: ReadonlySet<string>;
  readonly diffRef?: string;
}

function parseArgs(args: readonly string[]): PlanArgs {
  const flags = new Set<string>();
  const positional: string[] = [];
  let diffRef: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) positional.push(arg);
    else if (!FLAGS.has(arg)) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else flags.add(arg);
    if (arg === "--diff") {
      diffRef = args[++i];
      if (diffRef === undefined || diffRef.startsWith("--")) throw new Error(`--diff needs a git ref\n${USAGE}`);
    }
  }
  if (positional.length > 1) throw new Error(USAGE);
  return { stack: positional[0], flags, diffRef };
}

/** The stack rendered by the program at `ref`, or an empty run when the stack has no file there. */
async function runAtRef(stack: string, ref: string): Promise<{ run: ProgramRun; notes: readonly string[] }> {
  return withProjectAtRef(ref, async ({ projectDir, notes }) => {
    if (!existsSync(stackFilePath(stack, stackConfigDir(projectDir)))) {
      return {
        run: { stack, preview: false, resources: [], outputs: {}, diagnostics: [], invokes: [] },
        notes: [...notes, `note: stack ${stack} has no stack file at ${ref}`],
      };
    }
    return { run: await runProgram({ stack, preview: false, projectDir }), notes };
  });
}

async function main(args: readonly string[]): Promise<void> {
  const { stack, flags, diffRef } = parseArgs(args);
  if (flags.has("--list-stacks")) {
    if (stack !== undefined || flags.size > 1) throw new Error(USAGE);
    process.stdout.write(
      stackNames()
        .map((name) => `${name}\n`)
        .join(""),
    );
    return;
  }
  if (stack === undefined) throw new Error(USAGE);
  if (!stackNames().includes(stack)) throw new Error(`no stack file stacks/Pulumi.${stack}.yaml; stacks: ${stackNames().join(", ")}`);
  if (flags.has("--write") && flags.has("--preview")) throw new Error("golden plans are update plans: --write takes no --preview");
  if (diffRef !== undefined && (flags.has("--write") || flags.has("--preview"))) throw new Error("--diff compares update plans: it takes no --write or --preview");

  if (diffRef !== undefined) {
    const before = await runAtRef(stack, diffRef);
    const after = await runProgram({ stack, preview: false });
    const diff = renderPlanDiff(stack, before.run, after, { before: diffRef, after: "this checkout" });
    process.stdout.write(before.notes.length === 0 ? diff : diff.replace("\n", `\n${before.notes.join("\n")}\n`));
    return;
  }
  const plan = await stackPlan(stack, { preview: flags.has("--preview") });
  if (flags.has("--write")) {
    writeFileSync(goldenPlanPath(stack), plan);
    console.log(`wrote ${path.relative(process.cwd(), goldenPlanPath(stack))}`);
  } else {
    process.stdout.write(plan);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
