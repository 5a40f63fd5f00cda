/**
 * The order the Pulumi engine creates and deletes a program's resources in, derived from the
 * recorded graph. A resource depends on its parent, on every resource one of its inputs came from,
 * and on its explicit `dependsOn`. The engine creates a resource only after everything it depends
 * on, and deletes it only after everything that depends on it (dependents first): an attachment
 * goes before its volume and instance, an instance before its network interface.
 */
import type { ProgramRun, RecordedResource } from "./run-record";

/** URNs the resource depends on: parent, input sources and `dependsOn`, each once. */
export function dependencyUrns(resource: RecordedResource): string[] {
  const urns = new Set<string>(resource.parentUrn === undefined ? [] : [resource.parentUrn]);
  for (const sources of Object.values(resource.inputDependencies)) for (const urn of sources) urns.add(urn);
  for (const urn of resource.options.dependsOn) urns.add(urn);
  urns.delete(resource.urn);
  return [...urns];
}

/**
 * Every resource after all it depends on (creation order); among resources free at the same time,
 * registration order. Fails on a cycle, which the engine refuses too.
 */
export function creationOrder(run: ProgramRun): RecordedResource[] {
  const known = new Set(run.resources.map((resource) => resource.urn));
  const waitingOn = new Map(run.resources.map((resource) => [resource.urn, dependencyUrns(resource).filter((urn) => known.has(urn))]));
  const order: RecordedResource[] = [];
  const placed = new Set<string>();
  while (order.length < run.resources.length) {
    const next = run.resources.find((resource) => !placed.has(resource.urn) && waitingOn.get(resource.urn)!.every((urn) => placed.has(urn)));
    if (next === undefined) {
      const stuck = run.resources.filter((resource) => !placed.has(resource.urn)).map((resource) => resource.name);
      throw new Error(`dependency cycle among: ${stuck.join(", ")}`);
    }
    order.push(next);
    placed.add(next.urn);
  }
  return order;
}

/** Every resource before all it depends on: the order `pulumi destroy` deletes them in. */
export function deletionOrder(run: ProgramRun): RecordedResource[] {
  return creationOrder(run).reverse();
}
