/**
 * Every check that needs the account's answers, run before the first resource is declared:
 * placement (placement-check.ts), changes that would replace a member's ENI or volumes
 * (member-replacement-check.ts), the etcd release change (etcd-upgrade-check.ts) and the CA
 * rotation's stage (ca-rotation-check.ts). They run
 * together and report every problem at once, as the config check does. The last two judge the
 * cluster's live instances, read once by the caller (live-member-instances.ts), who also hands them
 * to EtcdCluster for the rollout order.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { ClusterConfigError } from "../core/config/errors";
import type { ClusterConfig, ConfigProblem } from "../core/config/types";
import { checkCaRotation } from "./ca-rotation-check";
import { checkEtcdVersionChange } from "./etcd-upgrade-check";
import { checkMemberChanges } from "./member-replacement-check";
import { checkPlacement } from "./placement-check";

/** Throws one ClusterConfigError with the problems of every check; returns their warnings. */
export async function checkAgainstAccount(
  config: ClusterConfig,
  liveInstances: readonly aws.ec2.GetInstanceResult[],
  opts?: pulumi.InvokeOptions,
): Promise<readonly ConfigProblem[]> {
  const outcomes = await Promise.allSettled([
    checkPlacement(config, opts),
    checkMemberChanges(config, opts),
    checkEtcdVersionChange(config, liveInstances, opts),
    Promise.resolve().then(() => checkCaRotation(config, liveInstances)),
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
