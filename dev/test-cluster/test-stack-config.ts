/**
 * The config of a test cluster's stack: the source stack's (dev) with what makes it throw-away and
 * its own: no `clusterName` (the default `etcd-test-<name>` keeps every resource name apart from
 * dev's), `protectData: false` (destroy leaves nothing), and AWS tags saying what it is and when it
 * expires. Validated like any stack before anything is created.
 */
import { stringify } from "yaml";
import { CONFIG_NAMESPACE } from "../../src/core/config/keys";
import { resolveClusterConfig } from "../../src/core/config/resolve";

/** AWS tags on every resource of a test cluster (the project's `tags` setting). */
export const AWS_TAGS = { environment: "environment", testCluster: "test-cluster", expiresAt: "expires-at" } as const;

export interface TestStackSettings {
  /** The test cluster's name: the stack is test-<name>. */
  readonly name: string;
  readonly stack: string;
  /** The source stack, e.g. `dev`. */
  readonly source: string;
  /** ISO UTC expiry (expiry.ts). */
  readonly expiresAt: string;
}

const key = (name: string) => `${CONFIG_NAMESPACE}:${name}`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The test stack's config entries (namespaced keys, YAML-typed values); fails with every config problem at once. */
export function testStackConfig(sourceConfig: Readonly<Record<string, unknown>>, settings: TestStackSettings): Record<string, unknown> {
  const config: Record<string, unknown> = { ...sourceConfig };
  delete config[key("clusterName")];
  config[key("protectData")] = false;
  const sourceTags = config[key("tags")];
  config[key("tags")] = {
    ...(isRecord(sourceTags) ? sourceTags : {}),
    [AWS_TAGS.environment]: "test",
    [AWS_TAGS.testCluster]: settings.name,
    [AWS_TAGS.expiresAt]: settings.expiresAt,
  };
  const projectConfig = Object.fromEntries(
    Object.entries(config)
      .filter(([name]) => name.startsWith(`${CONFIG_NAMESPACE}:`))
      .map(([name, value]) => [name.slice(CONFIG_NAMESPACE.length + 1), value]),
  );
  resolveClusterConfig(projectConfig, settings.stack);
  return config;
}

/** The stack file's text: a header saying where it came from, then the config. */
export function testStackFileText(config: Readonly<Record<string, unknown>>, settings: TestStackSettings): string {
  return (
    `# Test cluster ${settings.name}: created from stack ${settings.source} by npm run test-cluster, expires ${settings.expiresAt}.\n` +
    "# Removed with the stack by npm run test-cluster -- destroy (or the sweep after it expires).\n" +
    stringify({ config })
  );
}
