/**
 * Reads the stack's config from the Pulumi runtime. Pulumi hands every value over as a string
 * (numbers and booleans as their text, lists and maps as JSON), so each known key is decoded by
 * its kind first; a key of the namespace the schema does not know is passed on as it is and
 * reported by the schema, so a misspelt key stops the deployment instead of being ignored.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "../core/config/keys";
import { resolveClusterConfig, type ResolvedClusterConfig } from "../core/config/resolve";
import type { RawClusterConfig } from "../core/config/schema";

/** How a key's value is written in Pulumi's string form. */
type ConfigValueKind = "text" | "number" | "boolean" | "json";

/** Every key the schema knows, with its kind (tsc fails when a schema key is missing or unknown here). */
const CONFIG_VALUE_KINDS = {
  clusterName: "text",
  members: "number",
  allowSingleMember: "boolean",
  protectData: "boolean",
  allowMemberReplacement: "boolean",
  vpcId: "text",
  subnetIds: "json",
  instanceType: "text",
  ami: "text",
  osImage: "text",
  etcdVersion: "text",
  etcdDownloadBaseUrl: "text",
  dataVolume: "json",
  walVolume: "json",
  kmsKeyId: "text",
  clientCidrs: "json",
  clientSecurityGroupIds: "json",
  monitoringCidrs: "json",
  tuning: "json",
  pki: "json",
  backup: "json",
  restore: "json",
  tags: "json",
} as const satisfies Record<keyof RawClusterConfig, ConfigValueKind>;

function isKnownKey(key: string): key is keyof typeof CONFIG_VALUE_KINDS {
  return Object.hasOwn(CONFIG_VALUE_KINDS, key);
}

const DECIMAL_NUMBER = /^-?\d+(\.\d+)?$/;

/** The typed value of a config string; text that does not decode is kept, for the schema to report. */
function decodeConfigText(kind: ConfigValueKind, text: string): unknown {
  switch (kind) {
    case "text":
      return text;
    case "number":
      return DECIMAL_NUMBER.test(text) ? Number(text) : text;
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    case "json":
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
  }
}

/**
 * The raw stack config (keys without the namespace, values typed) from Pulumi's config map, as
 * `pulumi.runtime.allConfig()` returns it: `{ "etcd-cluster:members": "3", "aws:region": … }`.
 */
export function rawConfigFromPulumi(config: Readonly<Record<string, string>>): Record<string, unknown> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(config)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    raw[key] = isKnownKey(key) ? decodeConfigText(CONFIG_VALUE_KINDS[key], text) : text;
  }
  return raw;
}

/**
 * The current stack's cluster config, validated and defaulted. Reads the whole config map once
 * (`pulumi.Config` reads the same map key by key, and could not see unknown keys). Throws
 * ClusterConfigError listing every problem; the caller reports the warnings.
 */
export function readClusterConfig(): ResolvedClusterConfig {
  return resolveClusterConfig(rawConfigFromPulumi(pulumi.runtime.allConfig()), pulumi.getStack());
}
