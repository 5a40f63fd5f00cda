/** How config keys and their values are named in problem messages. */
import type { ConfigProblem } from "./types";

/** The project's config namespace: stack files write `etcd-cluster:<key>`. */
export const CONFIG_NAMESPACE = "etcd-cluster";

/** A path inside the raw config: top-level key, then nested keys or list indexes. */
export type ConfigPath = readonly PropertyKey[];

/** The full key a user writes, e.g. `etcd-cluster:dataVolume.iops` or `etcd-cluster:subnetIds[1]`. */
export function configKey(path: ConfigPath): string {
  const segments = path.map((segment, position) => {
    if (typeof segment === "number") return `[${segment}]`;
    const name = String(segment);
    return position === 0 ? name : `.${name}`;
  });
  return `${CONFIG_NAMESPACE}:${segments.join("")}`;
}

/** A value as the user wrote it: JSON for strings, lists and maps; "not set" when absent. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "not set";
  // JSON.stringify gives undefined only for a function or a symbol, which no YAML value is.
  return JSON.stringify(value) ?? typeof value;
}

/** One problem sentence: `<key> is <value>: <reason and fix>`. */
export function problemMessage(path: ConfigPath, value: unknown, reasonAndFix: string): string {
  return `${configKey(path)} is ${describeValue(value)}: ${reasonAndFix}`;
}

/** A problem with the value at `path`: the message names the key, the value, the reason and the fix. */
export function configProblem(path: ConfigPath, value: unknown, reasonAndFix: string): ConfigProblem {
  return { key: configKey(path), message: problemMessage(path, value, reasonAndFix) };
}
