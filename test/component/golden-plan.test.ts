/**
 * The committed plans in test/golden/ are the program's current output for every stack file: a
 * change to what the program creates fails here until the golden file is rewritten, so a pull
 * request shows the infrastructure change as a diff of the plan.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { it } from "node:test";
import { renderPlan } from "../../dev/plan/render-plan";
import { goldenPlanPath } from "../../dev/plan/stack-plan";
import { unifiedDiff } from "../../dev/plan/unified-diff";
import { PROJECT_DIR } from "../../dev/mock-runtime/project-file";
import { stackNames } from "../../dev/mock-runtime/stack-files";
import { programRun } from "../support/program-runs";

/** Diff lines shown in a failure; the rest is a `git diff` away once the plan is rewritten. */
const DIFF_EXCERPT_LINES = 80;

function excerpt(diff: string): string {
  const lines = diff.split("\n");
  if (lines.length <= DIFF_EXCERPT_LINES) return diff;
  return [...lines.slice(0, DIFF_EXCERPT_LINES), `… ${lines.length - DIFF_EXCERPT_LINES} more diff lines`].join("\n");
}

for (const stack of stackNames()) {
  const goldenFile = path.relative(PROJECT_DIR, goldenPlanPath(stack));

  it(`the plan of stack ${stack} equals ${goldenFile}`, async () => {
    const plan = renderPlan(await programRun(stack, "update"));
    const golden = existsSync(goldenPlanPath(stack)) ? readFileSync(goldenPlanPath(stack), "utf8") : "";
    if (plan === golden) return;
    const diff = unifiedDiff(golden, plan, { expected: goldenFile, actual: `plan of stack ${stack}` });
    assert.fail(`${goldenFile} is out of date: run npm run plan -- ${stack} --write and commit the diff\n\n${excerpt(diff)}`);
  });
}
