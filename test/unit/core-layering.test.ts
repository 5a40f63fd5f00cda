/**
 * The layering of src/core, read from its import graph: the pure core imports no Pulumi and
 * nothing above it, etcd knowledge and value formats sit below the stack config, the config below
 * the plan, the member files and the AWS documents, and no two folders import each other.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, test } from "node:test";
import { importEdges, layeringProblems, type ForbiddenFolders } from "../support/import-graph";

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

describe("layeringProblems", () => {
  test("names a type-only import of Pulumi", () => {
    assert.deepEqual(layeringProblems([{ from: "src/core/aws/alarm-specs.ts", to: "@pulumi/pulumi", isPackage: true }], FORBIDDEN), [
      "src/core/aws/alarm-specs.ts imports @pulumi/pulumi: src/core imports no Pulumi",
    ]);
  });

  test("names an import of the Pulumi layer or the operator CLI", () => {
    const edges = [
      { from: "src/core/plan/a.ts", to: "src/pulumi/cluster", isPackage: false },
      { from: "src/core/plan/a.ts", to: "ops/etcd-ops/status-report", isPackage: false },
    ];
    assert.deepEqual(layeringProblems(edges, FORBIDDEN), [
      "src/core/plan/a.ts imports src/pulumi/cluster: src/core imports nothing outside src/core",
      "src/core/plan/a.ts imports ops/etcd-ops/status-report: src/core imports nothing outside src/core",
    ]);
  });

  test("names etcd knowledge that imports the stack config", () => {
    assert.deepEqual(layeringProblems([{ from: "src/core/etcd/tuning.ts", to: "src/core/config/types", isPackage: false }], FORBIDDEN), [
      "src/core/etcd/tuning.ts imports src/core/config/types: etcd imports nothing from config, plan, member, aws",
    ]);
  });

  test("names a cycle between two folders once, with an import for each direction", () => {
    const edges = [
      { from: "src/core/aws/member-policy.ts", to: "src/core/member/member-bundle", isPackage: false },
      { from: "src/core/member/scripts/boot-script.ts", to: "src/core/aws/ssm-parameters", isPackage: false },
      { from: "src/core/member/member-boot.ts", to: "src/core/aws/ssm-parameters", isPackage: false },
    ];
    assert.deepEqual(layeringProblems(edges, FORBIDDEN), [
      "folder cycle aws → member → aws (src/core/aws/member-policy.ts imports src/core/member/member-bundle; " +
        "src/core/member/scripts/boot-script.ts imports src/core/aws/ssm-parameters)",
    ]);
  });

  test("names a cycle through three folders", () => {
    const edges = [
      { from: "src/core/aws/x.ts", to: "src/core/plan/y", isPackage: false },
      { from: "src/core/plan/y.ts", to: "src/core/member/z", isPackage: false },
      { from: "src/core/member/z.ts", to: "src/core/aws/x", isPackage: false },
    ];
    assert.deepEqual(layeringProblems(edges, FORBIDDEN), [
      "folder cycle aws → plan → member → aws (src/core/aws/x.ts imports src/core/plan/y; " +
        "src/core/plan/y.ts imports src/core/member/z; src/core/member/z.ts imports src/core/aws/x)",
    ]);
  });

  test("lets a folder import its own files and the packages it declares", () => {
    const edges = [
      { from: "src/core/member/scripts/boot-script.ts", to: "src/core/member/paths", isPackage: false },
      { from: "src/core/config/schema.ts", to: "zod", isPackage: true },
      { from: "src/core/config/schema.ts", to: "src/core/etcd/versions", isPackage: false },
    ];
    assert.deepEqual(layeringProblems(edges, FORBIDDEN), []);
  });
});
