/**
 * The CA rotation state each live member instance booted with (its TAG_KEYS.caRotation tag,
 * member.ts), and the rotation rules (core/pki/ca-rotation-rules.ts) applied to it before anything is
 * declared: `pki.caRotation` moves one stage at a time, forward only.
 */
import type * as aws from "@pulumi/aws";
import { TAG_KEYS } from "../core/aws/tags";
import { checkCaRotationChange, type DeployedCaState } from "../core/pki/ca-rotation-rules";
import { ClusterConfigError } from "../core/config/errors";
import type { ClusterConfig, ConfigProblem } from "../core/config/types";
import { parseCaRotationTag } from "../core/pki/ca-rotation";

/** What each live member instance of the cluster (live-member-instances.ts) trusts and presents, by its tag. */
export function deployedCaStates(instances: readonly aws.ec2.GetInstanceResult[]): DeployedCaState[] {
  return instances.map((instance) => ({
    instanceId: instance.id,
    memberName: instance.tags[TAG_KEYS.member] ?? "(no member tag)",
    rotation: parseCaRotationTag(instance.tags[TAG_KEYS.caRotation]),
  }));
}

/**
 * Refuses a `pki.caRotation` the running members cannot take in one rollout: throws
 * ClusterConfigError before any resource exists; returns the warnings. Library users call it
 * before `new EtcdCluster` with the cluster's live instances (`liveMemberInstances`).
 */
export function checkCaRotation(config: Pick<ClusterConfig, "pki">, liveInstances: readonly aws.ec2.GetInstanceResult[]): readonly ConfigProblem[] {
  const findings = checkCaRotationChange(config.pki.caRotation, deployedCaStates(liveInstances));
  if (findings.errors.length > 0) throw new ClusterConfigError(findings.errors);
  return findings.warnings;
}
