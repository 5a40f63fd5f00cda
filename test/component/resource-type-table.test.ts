/**
 * dev/resource-types/resource-type-table.ts is the one list of the resource types the program
 * declares: the plan's replacement rules, test/aws-api's request shapes and the deployer's
 * authorization requests all read it (tsc makes the last two complete for its AWS API types).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stackNames } from "../../dev/mock-runtime/stack-files";
import { RESOURCE_TYPES, resourceTypeRow } from "../../dev/resource-types/resource-type-table";
import { programRun } from "../support/program-runs";

async function declaredTypes(): Promise<Set<string>> {
  const types = new Set<string>();
  for (const stack of stackNames()) {
    for (const resource of (await programRun(stack, "update")).resources) if (resource.custom) types.add(resource.type);
  }
  return types;
}

describe("the resource type table", () => {
  it("has a row for every resource type a stack declares", async () => {
    const missing = [...(await declaredTypes())].filter((type) => resourceTypeRow(type) === undefined);
    assert.deepEqual(missing, [], "add a row to dev/resource-types/resource-type-table.ts (README: Adding a resource type)");
  });

  it("has no row for a type no stack declares", async () => {
    const declared = await declaredTypes();
    assert.deepEqual(
      Object.keys(RESOURCE_TYPES).filter((type) => !declared.has(type)),
      [],
      "a row nothing declares: remove it, with its mappings",
    );
  });

  it("knows an unknown type as unknown", () => {
    assert.equal(resourceTypeRow("aws:sqs/queue:Queue"), undefined);
    assert.equal(resourceTypeRow("toString"), undefined);
  });
});
