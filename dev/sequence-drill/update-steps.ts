/**
 * The steps one `pulumi up` takes, in order, from what is deployed to what the program now
 * declares: the drill plays them one at a time against real etcd. Derived from the two program
 * runs, as the engine derives them:
 *
 * - what changes comes from dev/plan/run-changes.ts: created, replaced (an input its provider cannot
 *   change in place, replacing-inputs.ts, or such an input from a replaced resource: the cascade),
 *   updated in place, deleted;
 * - creations, replacements and updates are taken in the new run's creation order
 *   (dependency-order.ts: parent, input sources, `dependsOn`), so each instance of the member chain
 *   comes after the previous member's health gate, and a gate after its instance;
 * - a replacement with `deleteBeforeReplace` (instances, volume attachments) first deletes the
 *   replaced resources whose inputs come from it (dependents first, the engine's "delete-before-replace
 *   dependents"; a dependent by `dependsOn` alone stays), then itself, then creates the replacement; the dependents are created again at
 *   their own place in the order. Any other replacement creates the new resource first and deletes
 *   the old one at the end of the update;
 * - resources the program no longer declares are deleted at the end, dependents first (the removal
 *   command before its instance, member 4 before member 3).
 *
 * The engine runs independent steps in parallel; the member chain makes everything a member
 * touches sequential, so one list in this order is what etcd sees. Not modelled: `pulumi refresh`
 * and drift made outside Pulumi (a story injects those as faults).
 */
import { creationOrder } from "../mock-runtime/dependency-order";
import type { ProgramRun, RecordedResource } from "../mock-runtime/run-record";
import { runChanges } from "../plan/run-changes";

/** One step of an update: what the engine asks a provider to do to one resource. */
export interface UpdateStep {
  readonly operation: "create" | "update" | "delete";
  /** The resource as the step leaves it (delete: as deployed). */
  readonly resource: RecordedResource;
  /** For create/update: the resource as deployed before the step, when there was one. */
  readonly previous?: RecordedResource;
  /** Why: `replaced: userDataBase64`, `new`, `no longer declared`, the changed inputs of an update. */
  readonly reason: string;
}

/**
 * URNs of every resource one of whose inputs comes from `urn`, directly or through another such
 * resource, within `run`. Only inputs count: a dependent by `dependsOn` alone (the next member's
 * instance behind this member's gate, the member's removal) is never deleted with it (the engine's
 * dependent replacements; Pulumi's tests/integration/delete_before_create).
 */
function inputDependentsOf(run: ProgramRun, urn: string): Set<string> {
  const found = new Set<string>();
  const order = creationOrder(run);
  let grew = true;
  while (grew) {
    grew = false;
    for (const resource of order) {
      if (found.has(resource.urn)) continue;
      const sources = Object.values(resource.inputDependencies).flat();
      if (sources.some((source) => source === urn || found.has(source))) {
        found.add(resource.urn);
        grew = true;
      }
    }
  }
  return found;
}

/** The steps of `pulumi up` from `deployed` to `next`, in the order the drill applies them. */
export function updateSteps(deployed: ProgramRun, next: ProgramRun): UpdateStep[] {
  const changes = runChanges(deployed, next);
  if (changes.unknownTypes.length > 0) throw new Error(`no row in dev/resource-types/resource-type-table.ts for ${changes.unknownTypes.join(", ")}`);
  const old = new Map(deployed.resources.map((resource) => [resource.urn, resource]));
  const replaced = new Map(changes.replaced.map((change) => [change.resource.urn, change]));
  const updated = new Map(changes.updated.map((change) => [change.resource.urn, change]));
  const created = new Set(changes.created.map((resource) => resource.urn));
  const nextOrder = creationOrder(next);
  const deletedEarly = new Set<string>();
  const deferredDeletes: UpdateStep[] = [];
  const steps: UpdateStep[] = [];

  for (const resource of nextOrder) {
    if (!resource.custom) continue;
    const previous = old.get(resource.urn);
    if (created.has(resource.urn)) {
      steps.push({ operation: "create", resource, reason: "new" });
      continue;
    }
    const replacement = replaced.get(resource.urn);
    if (replacement !== undefined && previous !== undefined) {
      const reason = `replaced: ${replacement.because.join("; ")}`;
      if (resource.options.deleteBeforeReplace && !deletedEarly.has(resource.urn)) {
        const dependents = inputDependentsOf(deployed, resource.urn);
        const replacedDependents = creationOrder(deployed)
          .filter((candidate) => dependents.has(candidate.urn) && replaced.has(candidate.urn) && !deletedEarly.has(candidate.urn))
          .reverse();
        for (const dependent of replacedDependents) {
          steps.push({ operation: "delete", resource: dependent, reason: `replaced after ${resource.name} (delete-before-replace)` });
          deletedEarly.add(dependent.urn);
        }
        steps.push({ operation: "delete", resource: previous, reason: `${reason} (delete-before-replace)` });
        deletedEarly.add(resource.urn);
      } else if (!deletedEarly.has(resource.urn)) {
        deferredDeletes.push({ operation: "delete", resource: previous, reason: `${reason} (old one deleted after its replacement)` });
      }
      steps.push({ operation: "create", resource, previous, reason });
      continue;
    }
    const update = updated.get(resource.urn);
    if (update !== undefined) steps.push({ operation: "update", resource, previous, reason: update.because.join("; ") });
  }
  for (const resource of changes.deleted) steps.push({ operation: "delete", resource, reason: "no longer declared" });
  return [...steps, ...deferredDeletes];
}
