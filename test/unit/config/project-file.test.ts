import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { clusterConfigSchema, resolveClusterConfig } from "../../../src/core/config";
import { MINIMAL_CONFIG } from "./fixtures";

interface ConfigDeclaration {
  readonly type: "string" | "integer" | "boolean" | "array";
  readonly description?: string;
  readonly default?: unknown;
  readonly items?: { readonly type: string };
}

const projectFile = parse(readFileSync(path.resolve(__dirname, "../../../Pulumi.yaml"), "utf8")) as {
  readonly config: Readonly<Record<string, ConfigDeclaration>>;
};
const declarations = Object.entries(projectFile.config);
const schemaKeys = Object.keys(clusterConfigSchema.unwrap().shape);
const { config: defaults } = resolveClusterConfig(MINIMAL_CONFIG, "dev");

function matchesType(declaration: ConfigDeclaration, value: unknown): boolean {
  switch (declaration.type) {
    case "integer":
      return Number.isInteger(value);
    case "array":
      return Array.isArray(value) && value.every((item) => typeof item === declaration.items?.type);
    default:
      return typeof value === declaration.type;
  }
}

describe("Pulumi.yaml project config", () => {
  it("declares only keys the config schema knows", () => {
    assert.deepEqual(
      declarations.map(([key]) => key).filter((key) => !schemaKeys.includes(key)),
      [],
    );
  });

  for (const [key, declaration] of declarations) {
    it(`${key}: typed, described, and defaulted as defaults.ts says`, () => {
      assert.ok(declaration.description, "description");
      const value = key in MINIMAL_CONFIG ? MINIMAL_CONFIG[key] : declaration.default;
      assert.ok(matchesType(declaration, value), `${JSON.stringify(value)} is not of type ${declaration.type}`);
      if (key in MINIMAL_CONFIG) {
        assert.equal(declaration.default, undefined, "a required key has no default");
      } else {
        assert.deepEqual(declaration.default, defaults[key as keyof typeof defaults]);
      }
    });
  }
});
