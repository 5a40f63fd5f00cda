/**
 * Which `pki.caRotation` a running cluster can take in one `pulumi up`, judged against the state
 * each live member instance booted with (its TAG_KEYS.caRotation tag). Stages only go forward,
 * one at a time, and only once the previous stage reached every member: a member restarted into
 * `drop-old-ca` trusts only the new CA, so a peer still presenting an old-CA certificate (a
 * `reissue-leaves` that stopped halfway) could no longer talk to it.
 */
import { errorFinding, NO_FINDINGS, type RuleFindings } from "../config/findings";
import { configProblem } from "../config/keys";
import type { CaRotation } from "../config/types";
import { caRotationAtStep, caRotationStep, describeCaRotation } from "./ca-rotation";

/** A live member instance and the rotation state it booted with. */
export interface DeployedCaState {
  readonly instanceId: string;
  /** Its etcd member name (TAG_KEYS.member), for the message. */
  readonly memberName: string;
  /** Parsed from its tag; undefined for an instance from before any rotation. */
  readonly rotation: CaRotation | undefined;
}

const GUIDE = 'README "Rotating the CA"';

function whoRuns(instances: readonly DeployedCaState[]): string {
  return instances.map((instance) => `${instance.memberName} (${instance.instanceId})`).join(", ");
}

/**
 * Refuses a `pki.caRotation` that goes back, skips a stage, or moves on while a member has not yet
 * reached the stage before it. Allowed: the stage the members are in (the retry of a rollout that
 * stopped), or the next one once every member is in the current one. A new cluster has no
 * instance and may start at any stage.
 */
export function checkCaRotationChange(target: CaRotation | undefined, deployed: readonly DeployedCaState[]): RuleFindings {
  const targetStep = caRotationStep(target);
  const ahead = deployed.filter((instance) => caRotationStep(instance.rotation) > targetStep);
  const behind = deployed.filter((instance) => caRotationStep(instance.rotation) < targetStep - 1);
  const value = target === undefined ? undefined : { ...target };
  if (ahead.length > 0) {
    const newest = caRotationAtStep(Math.max(...ahead.map((instance) => caRotationStep(instance.rotation))));
    return errorFinding(
      configProblem(
        ["pki", "caRotation"],
        value,
        `members ${whoRuns(ahead)} already run with ${describeCaRotation(newest)}, and CA rotation stages only go forward ` +
          `(going back would re-create a CA the cluster no longer has); set pki.caRotation to ${describeCaRotation(newest)} ` +
          `to finish that stage, or to the stage after it (${GUIDE})`,
      ),
    );
  }
  if (behind.length > 0) {
    const oldest = caRotationAtStep(Math.min(...behind.map((instance) => caRotationStep(instance.rotation))));
    const next = caRotationAtStep(caRotationStep(oldest) + 1);
    return errorFinding(
      configProblem(
        ["pki", "caRotation"],
        value,
        `members ${whoRuns(behind)} still run with ${describeCaRotation(oldest)}, and the CA rotation takes one stage at a time, ` +
          `each on every member before the next: set pki.caRotation to ${describeCaRotation(next)} first (${GUIDE})`,
      ),
    );
  }
  return NO_FINDINGS;
}
