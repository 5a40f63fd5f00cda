/**
 * Every package the code imports is declared in package.json, the product's only among
 * `dependencies` (what `npm ci --omit=dev` installs for a deployer), and every declared package
 * says in the README why it is there.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";

const ROOT = path.join(__dirname, "..", "..");
const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The TypeScript tsconfig.json includes. */
const SOURCES = ["index.ts", "src", "ops", "dev", "scripts", "bench", "test"];
/** What a deployer runs: the program and its components, and the operator CLI. */
const PRODUCT = ["index.ts", "src/", "ops/"];

function typescriptFiles(relative: string): string[] {
  if (relative.endsWith(".ts")) return [relative];
  return readdirSync(path.join(ROOT, relative), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? typescriptFiles(`${relative}/${entry.name}`) : entry.name.endsWith(".ts") ? [`${relative}/${entry.name}`] : [],
  );
}

/**
 * The module specifiers a file imports: import and export declarations, `import x = require()`,
 * `import()`, and calls of the global `require` (not a method named require, e.g. Pulumi's
 * `config.require("key")`).
 */
function specifiersIn(text: string): string[] {
  const source = ts.createSourceFile("file.ts", text, ts.ScriptTarget.Latest);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      found.push(node.expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for a relative path or Node's own module. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("node:") || builtinModules.includes(specifier)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

interface PackageImport {
  readonly file: string;
  readonly specifier: string;
  readonly name: string;
}

function packageImports(): PackageImport[] {
  return SOURCES.flatMap(typescriptFiles).flatMap((file) =>
    specifiersIn(readFileSync(path.join(ROOT, file), "utf8")).flatMap((specifier) => {
      const name = packageOf(specifier);
      return name === undefined ? [] : [{ file, specifier, name }];
    }),
  );
}

describe("packages", () => {
  const imports = packageImports();
  const declared = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)];

  it("every imported package is declared in package.json", () => {
    const undeclared = imports.filter((found) => !declared.includes(found.name)).map((found) => `${found.file} imports ${found.specifier}`);
    assert.deepEqual(undeclared, []);
  });

  it("the program and the operator CLI import only dependencies, never devDependencies", () => {
    const fromDev = imports
      .filter((found) => PRODUCT.some((prefix) => found.file === prefix || found.file.startsWith(prefix)))
      .filter((found) => !Object.hasOwn(manifest.dependencies, found.name))
      .map((found) => `${found.file} imports ${found.specifier}`);
    assert.deepEqual(fromDev, []);
  });

  it("are read from imports, exports, import() and require(), not from a method named require", () => {
    const text = [
      'import a from "a"; import type { B } from "b/sub"; export { c } from "@c/c/deep";',
      'import d = require("d"); const e = require("e"); void import("f");',
      'config.require("subnetId"); const g: B = a;',
    ].join("\n");
    assert.deepEqual(specifiersIn(text), ["a", "b/sub", "@c/c/deep", "d", "e", "f"]);
  });

  it("every declared package is named in the README's dependency table", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Dependencies, and why each"));
    assert.deepEqual(
      declared.filter((name) => !section.includes(`\`${name}\``)),
      [],
    );
  });
});
