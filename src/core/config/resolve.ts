/**
 * From the raw stack config to the config every component consumes: fills defaults, checks every
 * key and every rule that spans keys, and reports all problems at once.
 */
import type { z } from "zod";
import { defaultClusterName } from "./defaults";
import { ClusterConfigError } from "./errors";
import { errorFinding, mergeFindings, NO_FINDINGS, type RuleFindings } from "./findings";
import { describeBuiltInIssue, problemsFromIssues } from "./issues";
import { configKey, configProblem } from "./keys";
import { clusterConfigFields, clusterConfigSchema } from "./schema";
import { checkImageRunsSsmAgent } from "./image-rules";
import { checkSingleMember, checkZoneSpread } from "./topology-rules";
import { checkElectionTimeout, checkQuotaBackend } from "./tuning-rules";
import type { ClusterConfig, ConfigProblem } from "./types";

/** A valid cluster config and what is allowed but worth a look. */
export interface ResolvedClusterConfig {
  /** The validated config, every default filled in. */
  readonly config: ClusterConfig;
  /** Problems that do not stop a deployment (e.g. fewer AZs than the size needs, where data is not protected). */
  readonly warnings: readonly ConfigProblem[];
}

/** Runs a rule whenever the keys it reads are valid, whatever else in the config is wrong. */
function ruleOver<T>(keys: z.ZodType<T>, rule: (values: T) => RuleFindings): (raw: unknown) => RuleFindings {
  return (raw) => {
    const parsed = keys.safeParse(raw);
    return parsed.success ? rule(parsed.data) : NO_FINDINGS;
  };
}

/** Rules that read several keys (topology-, tuning- and image-rules.ts), each with the keys it reads. */
const CROSS_KEY_RULES = [
  ruleOver(clusterConfigFields.pick({ members: true, allowSingleMember: true }), checkSingleMember),
  ruleOver(clusterConfigFields.pick({ members: true, subnetIds: true, protectData: true }), checkZoneSpread),
  ruleOver(clusterConfigFields.pick({ tuning: true, dataVolume: true }), checkElectionTimeout),
  ruleOver(clusterConfigFields.pick({ tuning: true, dataVolume: true }), checkQuotaBackend),
  ruleOver(clusterConfigFields.pick({ osImage: true, ami: true }), checkImageRunsSsmAgent),
];

/**
 * A stack that protects its data names its cluster. The default, `etcd-<stack>`, follows the stack
 * name, and every resource name, tag and member name derives from the cluster name: `pulumi stack
 * rename` would declare a second cluster beside the first and then try to delete the first one.
 * The program cannot see a rename (it cannot read its own state, and the new name has no resources
 * to look up), so the name is written down where it cannot change by accident.
 */
function checkClusterNameWritten(raw: Readonly<Record<string, unknown>>, stack: string): RuleFindings {
  if (raw.clusterName !== undefined || raw.protectData !== true) return NO_FINDINGS;
  const name = defaultClusterName(stack);
  return errorFinding(
    configProblem(
      ["clusterName"],
      undefined,
      `${configKey(["protectData"])} is true, so the name must be written in the stack file: the default, ${name}, changes with a ` +
        `stack rename, and a new name replaces every resource and member (new addresses, new volumes); set ${configKey(["clusterName"])}: ${name}`,
    ),
  );
}

/**
 * Resolves the stack config (keys without the `etcd-cluster:` namespace, values typed as in the
 * stack file). Throws ClusterConfigError listing every problem; returns the config and warnings.
 */
export function resolveClusterConfig(raw: Readonly<Record<string, unknown>>, stack: string): ResolvedClusterConfig {
  const withDefaultName = raw.clusterName === undefined ? { ...raw, clusterName: defaultClusterName(stack) } : raw;
  const parsed = clusterConfigSchema.safeParse(withDefaultName, { reportInput: true, error: describeBuiltInIssue });
  const findings = mergeFindings([...CROSS_KEY_RULES.map((rule) => rule(withDefaultName)), checkClusterNameWritten(raw, stack)]);
  const errors = [...(parsed.success ? [] : problemsFromIssues(parsed.error.issues)), ...findings.errors];
  if (!parsed.success || errors.length > 0) throw new ClusterConfigError(errors);
  return { config: parsed.data, warnings: findings.warnings };
}
