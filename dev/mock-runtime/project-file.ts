/**
 * What the Pulumi CLI takes from Pulumi.yaml when it runs a stack: the project name (part of every
 * URN) and the defaults of declared config keys, which it hands to the program for every key the
 * stack file leaves unset.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** The project's directory: Pulumi.yaml and index.ts live here. */
export const PROJECT_DIR = path.resolve(__dirname, "../..");

interface DeclaredConfigKey {
  readonly default?: unknown;
}

interface ProjectFile {
  readonly name: string;
  readonly stackConfigDir?: string;
  readonly config?: Readonly<Record<string, DeclaredConfigKey | string | number | boolean>>;
}

function readProjectFile(projectDir: string): ProjectFile {
  return parse(readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as ProjectFile;
}

/** `name` in Pulumi.yaml (of this checkout, or of the project in `projectDir`). */
export function projectName(projectDir = PROJECT_DIR): string {
  return readProjectFile(projectDir).name;
}

/** Where the project's stack files live: `stackConfigDir` in Pulumi.yaml, else the project directory. */
export function stackConfigDir(projectDir = PROJECT_DIR): string {
  return path.join(projectDir, readProjectFile(projectDir).stackConfigDir ?? ".");
}

/**
 * Declared config defaults, keys namespaced as in stack files (a key without a namespace is the
 * project's), values typed as in YAML.
 */
export function projectConfigDefaults(projectDir = PROJECT_DIR): Record<string, unknown> {
  const project = readProjectFile(projectDir);
  const defaults: Record<string, unknown> = {};
  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    const value = typeof declaration === "object" ? declaration.default : declaration;
    if (value !== undefined) defaults[key.includes(":") ? key : `${project.name}:${key}`] = value;
  }
  return defaults;
}
