/**
 * The layering of src/core, read from its import graph: the pure core imports no Pulumi and
 * nothing above it, etcd knowledge and value formats sit below the stack config, the config below
 * the plan, the member files and the AWS documents, and no two folders import each other.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, test } from "node:test";
import { importEdges, layeringProblems, type ForbiddenFolders, type ImportEdge } from "../support/import-graph";

const ROOT = path.resolve(__dirname, "../..");

/** The rules for src/core's folders; the README's "Architecture" section states them. */
const FORBIDDEN: ForbiddenFolders = {
  etcd: ["config", "plan", "member", "aws"],
  formats: ["config", "plan", "member", "aws"],
  config: ["plan", "member", "aws"],
};

describe("src/core's import graph", () => {
  test("keeps the layering: no Pulumi, nothing from outside src/core, no upward import, no folder cycle", () => {
    const edges = importEdges(ROOT, "src/core");
    assert.ok(edges.length > 100, `expected src/core's imports, read ${edges.length}`);
    assert.deepEqual(layeringProblems(edges, FORBIDDEN), []);
  });
});

/** An import of a repository file; `to` resolved as importEdges resolves it. */
function fileImport(from: string, to: string): ImportEdge {
  return { from, to, isPackage: false };
}

describe("layeringProblems", () => {
  test("names a type-only import of Pulumi", () => {
    assert.deepEqual(layeringProblems([{ from: "src/core/aws/alarm-specs.ts", to: "@pulumi/pulumi", isPackage: true }], FORBIDDEN), [
      "src/core/aws/alarm-specs.ts imports @pulumi/pulumi: src/core imports no Pulumi",
    ]);
  });

  test("names an import of the Pulumi layer or the operator CLI", () => {
    const edges = [fileImport("src/core/plan/a.ts", "src/pulumi/cluster"), fileImport("src/core/plan/a.ts", "ops/etcd-ops/status-report")];
    assert.deepEqual(layeringProblems(edges, FORBIDDEN), [
      "src/core/plan/a.ts imports src/pulumi/cluster: src/core imports nothing outside src/core",
      "src/core/plan/a.ts imports ops/etcd-ops/status-report: src/core imports nothing outside src/core",
    ]);
  });

  test("names etcd knowledge that imports the stack config", () => {
    assert.deepEqual(layeringProblems([fileImport("src/core/etcd/tuning.ts", "src/core/config/types")], FORBIDDEN), [
      "src/core/etcd/tuning.ts imports src/core/config/types: etcd imports nothing from config, plan, member, aws",
    ]);
  });

  test("names a cycle between two folders once, with an import for each direction", () => {
    const edges = [
      fileImport("src/core/aws/member-policy.ts", "src/core/member/member-bundle"),
      fileImport("src/core/member/scripts/boot-script.ts", "src/core/aws/ssm-parameters"),
      fileImport("src/core/member/member-boot.ts", "src/core/aws/ssm-parameters"),
    ];
    assert.deepEqual(layeringProblems(edges, FORBIDDEN), [
      "folder cycle aws → member → aws (src/core/aws/member-policy.ts imports src/core/member/member-bundle; " +
        "src/core/member/scripts/boot-script.ts imports src/core/aws/ssm-parameters)",
    ]);
  });

  test("names a cycle through three folders", () => {
    const [aws, plan, member] = ["src/core/aws/x", "src/core/plan/y", "src/core/member/z"];
    const problems = layeringProblems([fileImport(`${aws}.ts`, plan), fileImport(`${plan}.ts`, member), fileImport(`${member}.ts`, aws)], FORBIDDEN);
    assert.deepEqual(problems, [`folder cycle aws → plan → member → aws (${aws}.ts imports ${plan}; ${plan}.ts imports ${member}; ${member}.ts imports ${aws})`]);
  });

  test("lets a folder import its own files and the packages it declares", () => {
    const edges = [
      fileImport("src/core/member/scripts/boot-script.ts", "src/core/member/ports-and-paths"),
      { from: "src/core/config/schema.ts", to: "zod", isPackage: true },
      fileImport("src/core/config/schema.ts", "src/core/etcd/versions"),
    ];
    assert.deepEqual(layeringProblems(edges, FORBIDDEN), []);
  });
});
