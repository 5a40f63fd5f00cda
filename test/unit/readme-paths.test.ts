/**
 * The README names only files that exist: every repository path it puts in backticks, and every
 * path in its Architecture section (the diagram too), so a move or a rename that forgets the
 * README fails here.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.join(__dirname, "..", "..");
const README = readFileSync(path.join(ROOT, "README.md"), "utf8");
const TOP_LEVEL = ["src", "dev", "ops", "test", "scripts", "bench", "stacks", "docs", "monitoring", ".ci", ".github"];
const REPOSITORY_PATH = new RegExp(`^(?:${TOP_LEVEL.map((entry) => entry.replace(".", "\\.")).join("|")})/[\\w./-]*$`);

/** A placeholder or a pattern (`stacks/<stack>.yaml`, `src/core/config/*-rules.ts`) names no one file. */
const isPattern = (text: string) => /[<>*{}]/.test(text);

const missing = (paths: Iterable<string>) => [...new Set(paths)].filter((found) => !existsSync(path.join(ROOT, found)));

/** The repository paths among backticked words. */
export function backtickedPaths(markdown: string): string[] {
  return [...markdown.matchAll(/`([^`\s]+)`/g)].map(([, word]) => word).filter((word) => !isPattern(word) && REPOSITORY_PATH.test(word));
}

/** The repository paths anywhere in `text`, a trailing full stop or comma not included. */
export function pathsIn(text: string): string[] {
  return text
    .split(/[\s`(),;]+/)
    .map((word) => word.replace(/[.:]+$/, ""))
    .filter((word) => !isPattern(word) && REPOSITORY_PATH.test(word));
}

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `the README has a "${heading}" section`);
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

describe("the README's paths", () => {
  it("are read from backticks and from the text, patterns and placeholders left out", () => {
    const text = "See `src/core/plan/cluster-plan.ts`, `stacks/<stack>.yaml` and src/pulumi/cluster.ts. Also `x.ts`, (dev/plan/).";
    assert.deepEqual(backtickedPaths(text), ["src/core/plan/cluster-plan.ts"]);
    assert.deepEqual(pathsIn(text), ["src/core/plan/cluster-plan.ts", "src/pulumi/cluster.ts", "dev/plan/"]);
  });

  it("in backticks exist", () => {
    assert.deepEqual(missing(backtickedPaths(README)), []);
  });

  it("in the Architecture section exist, the diagram's included", () => {
    const architecture = section(README, "## Architecture");
    assert.ok(pathsIn(architecture).length > 20, "the section names the files of each step");
    assert.deepEqual(missing(pathsIn(architecture)), []);
  });
});
