/**
 * Every check that needs the account's answers, run before the first resource is declared:
 * placement (placement-check.ts), changes that would replace a member's ENI or volumes
 * (member-replacement-check.ts), the etcd release change (etcd-upgrade-check.ts) and the CA
 * rotation's stage (ca-rotation-check.ts). They run
 * together and report every problem at once, as the config check does.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ClusterConfigError } from "../core/config/errors";
import type { ClusterConfig, ConfigProblem } from "../core/config/types";
import { checkCaRotation } from "./ca-rotation-check";
import { checkEtcdVersionChange } from "./etcd-upgrade-check";
import { checkMemberChanges } from "./member-replacement-check";
import { checkPlacement } from "./placement-check";

/** Throws one ClusterConfigError with the problems of every check; returns their warnings. */
export async function checkAgainstAccount(config: ClusterConfig, opts?: pulumi.InvokeOptions): Promise<readonly ConfigProblem[]> {
  const outcomes = await Promise.allSettled([
    checkPlacement(config, opts),
    checkMemberChanges(config, opts),
    checkEtcdVersionChange(config, opts),
    checkCaRotation(config, opts),
  ]);
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === "fulfilled") warnings.push(...outcome.value);
    else if (outcome.reason instanceof ClusterConfigError) problems.push(...outcome.reason.problems);
    else throw outcome.reason;
  }
  if (problems.length > 0) throw new ClusterConfigError(problems);
  return warnings;
}
