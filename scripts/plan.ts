/**
 * `npm run plan -- <stack> [--preview] [--write]`: renders what the program would create for a
 * stack, offline: no cloud credentials, no Pulumi CLI (tools/offline runs index.ts under mocks).
 * `--write` stores the plan as test/golden/<stack>.plan.txt, which the tests compare against.
 * `--preview` shows what `pulumi preview` knows before anything exists (computed values unknown).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { goldenPlanPath, stackPlan } from "../tools/offline/plan/stack-plan";
import { stackNames } from "../tools/offline/stack-files";

const USAGE = "usage: npm run plan -- <stack> [--preview] [--write]";

async function main(args: readonly string[]): Promise<void> {
  const flags = new Set(args.filter((arg) => arg.startsWith("--")));
  const [stack, ...extra] = args.filter((arg) => !arg.startsWith("--"));
  const unknownFlags = [...flags].filter((flag) => flag !== "--preview" && flag !== "--write");
  if (stack === undefined || extra.length > 0 || unknownFlags.length > 0) throw new Error(USAGE);
  if (!stackNames().includes(stack)) throw new Error(`no stack file stacks/Pulumi.${stack}.yaml; stacks: ${stackNames().join(", ")}`);
  if (flags.has("--write") && flags.has("--preview")) throw new Error("golden plans are update plans: --write takes no --preview");

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
