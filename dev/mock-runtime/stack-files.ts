/**
 * The stack files in stacks/, read without the Pulumi CLI: for tests, the offline plan and the mock
 * runtime, which all run the program once per stack.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "../../src/core/config/keys";

/** Where the stack files live (`stackConfigDir` in Pulumi.yaml). */
export const STACKS_DIR = path.resolve(__dirname, "../../stacks");

const STACK_FILE_NAME = /^Pulumi\.(.+)\.yaml$/;

/** Names of the stacks that have a file in stacks/, sorted, e.g. `["dev", "prod", "staging"]`. */
export function stackNames(stacksDir = STACKS_DIR): string[] {
  return readdirSync(stacksDir)
    .map((fileName) => STACK_FILE_NAME.exec(fileName)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

export function stackFilePath(stack: string, stacksDir = STACKS_DIR): string {
  return path.join(stacksDir, `Pulumi.${stack}.yaml`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every config entry of a stack file, namespaced keys as written (`aws:region`, `etcd-cluster:members`), YAML-typed values. */
export function readStackFileConfig(stack: string, stacksDir = STACKS_DIR): Record<string, unknown> {
  const document: unknown = parse(readFileSync(stackFilePath(stack, stacksDir), "utf8"));
  const config = isRecord(document) ? document.config : undefined;
  if (config === undefined) return {};
  if (!isRecord(config)) throw new Error(`${stackFilePath(stack, stacksDir)}: "config" must be a map of keys to values`);
  return config;
}

/** The project's raw config of a stack: `etcd-cluster:` keys without the namespace, the input of resolveClusterConfig. */
export function readStackConfig(stack: string): Record<string, unknown> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  return Object.fromEntries(
    Object.entries(readStackFileConfig(stack))
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}

/**
 * Config values as the Pulumi CLI hands them to the program (`pulumi.runtime.setAllConfig` takes
 * this form): every value a string, lists and maps as JSON.
 */
export function pulumiConfigValues(config: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

/** A stack file's config in the form the Pulumi CLI hands it to the program. */
export function pulumiConfigFromStackFile(stack: string): Record<string, string> {
  return pulumiConfigValues(readStackFileConfig(stack));
}
