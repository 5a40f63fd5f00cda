/** A stack's offline plan and where its golden copy is committed. */
import * as path from "node:path";
import { PROJECT_DIR } from "../mock-runtime/project-file";
import { runProgram } from "../mock-runtime/run-stack";
import { renderPlan } from "./render-plan";

/** Committed plans, one per stack file: test/golden/<stack>.plan.txt. */
const GOLDEN_PLAN_DIR = path.join(PROJECT_DIR, "test", "golden");

export function goldenPlanPath(stack: string): string {
  return path.join(GOLDEN_PLAN_DIR, `${stack}.plan.txt`);
}

/** The plan of an update (`pulumi up`) of the stack, with placeholder certificates. */
export async function stackPlan(stack: string, options: { readonly preview: boolean } = { preview: false }): Promise<string> {
  return renderPlan(await runProgram({ stack, preview: options.preview }));
}
