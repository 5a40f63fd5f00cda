import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readStackFileConfig, stackNames } from "../../dev/mock-runtime/stack-files";
import { realTls } from "../../dev/mock-runtime/real-tls";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { programRun } from "../support/program-runs";
import { EDGE_CONFIGS } from "./edge-configs";
import { checkProgramRun, describeViolations, type RunFindings } from "./program-requests";

function assertAwsAccepts(findings: RunFindings): void {
  assert.deepEqual(findings.unmappedTypes, [], "resource types with no row: add one to dev/resource-types/resource-type-table.ts (README: Adding a resource type)");
  assert.deepEqual(findings.unreadInputs, [], "inputs no mapping sends: send them in test/aws-api/resource-requests.ts, or mark them providerOnly with the reason");
  assert.equal(describeViolations(findings.violations), "", "values AWS would refuse");
}

const regionOf = (stack: string) => String(readStackFileConfig(stack)["aws:region"]);

describe("every value the program sends to AWS passes AWS's published API constraints", () => {
  for (const stack of stackNames()) {
    it(`stack ${stack}`, async () => {
      assertAwsAccepts(checkProgramRun(await programRun(stack, "update"), regionOf(stack)));
    });
  }
  for (const edge of EDGE_CONFIGS) {
    it(`${edge.title} (on stack ${edge.stack})`, async () => {
      // Real keys and certificates: a parameter's size is its real PEM's, not a placeholder's.
      const run = await runProgram({ stack: edge.stack, preview: false, configOverrides: edge.overrides, tls: realTls() });
      assertAwsAccepts(checkProgramRun(run, regionOf(edge.stack)));
    });
  }
});
