/**
 * The config check's AWS limits are derived from what AWS accepts, not guessed: each is exactly
 * as wide as the API models allow for the names and tags the program builds from it.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import { ClusterConfigError, resolveClusterConfig } from "../../src/core/config";
import { MAX_TAGS_PER_RESOURCE } from "../../src/core/config/tag-schema";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { configWith } from "../unit/config/fixtures";
import { LONGEST_CLUSTER_NAME, MOST_TAGS_EVERY_CHARACTER_CLASS } from "./edge-configs";
import { checkProgramRun } from "./program-requests";
import { tagViolations } from "./tagging-requests";

/** Characters of every class: letters (ASCII and not), digits, spaces, the allowed symbols, and symbols some API refuses. */
const TAG_CHARACTERS = [..."aZ09éß日٣ \u00a0_.:/=+-@(),;<>!#&*'\"\\?~\t"];
const tagText = (maxLength: number) => fc.string({ unit: fc.constantFrom(...TAG_CHARACTERS), maxLength });

function configAccepts(tags: Record<string, string>): boolean {
  try {
    resolveClusterConfig(configWith({ tags }), "test");
    return true;
  } catch (error) {
    if (error instanceof ClusterConfigError) return false;
    throw error;
  }
}

describe("the config's tag rules are what AWS's tagging APIs accept", () => {
  it("accepts a tag exactly when every tagging API the program calls accepts it", () => {
    fc.assert(
      fc.property(tagText(10), tagText(10), (key, value) => {
        // The program's own keys are refused by the config for another reason: AWS would accept them.
        fc.pre(key !== "Name" && !key.startsWith("etcd:"));
        const refusedBy = tagViolations(key, value);
        assert.equal(
          configAccepts({ [key]: value }),
          refusedBy.length === 0,
          `tag ${JSON.stringify(key)}=${JSON.stringify(value)}: AWS refuses ${JSON.stringify(refusedBy.map((v) => `${v.where} ${v.rule}`))}`,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts the longest key and value AWS accepts, and refuses one character more", () => {
    for (const [key, value] of [
      ["k".repeat(128), "v"],
      ["k", "v".repeat(256)],
      ["k".repeat(129), "v"],
      ["k", "v".repeat(257)],
    ] as const) {
      assert.equal(configAccepts({ [key]: value }), tagViolations(key, value).length === 0, `key of ${key.length}, value of ${value.length}`);
    }
  });
});

describe("the config's count limits are the most AWS accepts", () => {
  let run: ProgramRun;
  before(async () => {
    run = await runProgram({ stack: "dev", preview: false, configOverrides: { tags: MOST_TAGS_EVERY_CHARACTER_CLASS } });
  });

  it("with the most stack tags allowed, the most tagged resource has exactly AWS's 50", () => {
    const counts = run.resources
      .flatMap((resource) => [resource.inputs["tags"], (resource.inputs["rootBlockDevice"] as { tags?: unknown } | undefined)?.tags])
      .filter((tags): tags is Record<string, unknown> => typeof tags === "object" && tags !== null)
      .map((tags) => Object.keys(tags).length);
    assert.equal(Math.max(...counts), MAX_TAGS_PER_RESOURCE);
    assert.equal(checkProgramRun(run, "eu-west-1").violations.length, 0);
  });
});

describe("the config's longest cluster name is the longest every name built from it fits", () => {
  it("some name built from the longest cluster name reaches its maximum length exactly, and none exceeds it", async () => {
    const longest = await runProgram({
      stack: "staging",
      preview: false,
      configOverrides: { clusterName: LONGEST_CLUSTER_NAME, members: 7 },
    });
    const findings = checkProgramRun(longest, "eu-west-1");
    assert.deepEqual(findings.violations, []);
    const names = findings.boundedStrings.filter((bounded) => bounded.value.includes(LONGEST_CLUSTER_NAME));
    const tightest = names.reduce((a, b) => (b.max - b.value.length < a.max - a.value.length ? b : a));
    assert.equal(
      tightest.max - tightest.value.length,
      0,
      `the tightest name, ${tightest.where} = ${tightest.value} (${tightest.value.length} of ${tightest.max}), ` +
        "has room left: raise MAX_CLUSTER_NAME_LENGTH by that much",
    );
  });
});
