/** The stack config of an etcd cluster: types, defaults and validation (pulumi/stack-config.ts reads it from Pulumi). */
export * from "./types";
export * from "./defaults";
export { ClusterConfigError } from "./errors";
export { CONFIG_NAMESPACE, configKey } from "./keys";
export { clusterConfigSchema, type RawClusterConfig } from "./schema";
export { GP3_LIMITS } from "./volume-schema";
export { resolveClusterConfig, type ResolvedClusterConfig } from "./resolve";
