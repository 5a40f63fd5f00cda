/**
 * What an update from one offline run to another would do to each resource: created, deleted,
 * replaced or updated in place, and why. A resource is replaced when an input its provider cannot change in place
 * differs (replacing-inputs.ts), or when such an input comes from a resource that is itself
 * replaced or new, whose ID therefore changes: the engine cascades replacements exactly so. Mock IDs
 * are deterministic, so the cascade is followed through the recorded input dependencies, never
 * through values.
 */
import { creationOrder } from "../mock-runtime/dependency-order";
import type { ProgramRun, RecordedResource } from "../mock-runtime/run-record";
import { isRecordedList, isRecordedObject, SecretValue, UnknownValue, type RecordedValue } from "../mock-runtime/recorded-value";
import { replacingInputPaths } from "./replacing-inputs";

/** A resource the update replaces or updates in place, with the inputs that change. */
export interface ResourceChange {
  /** The resource as the newer run declares it. */
  readonly resource: RecordedResource;
  /** Each changed input: `ami`, or `instanceId (new ID of etcd-dev-member-0-instance)`. */
  readonly because: readonly string[];
}

export interface RunChanges {
  /** Replaced resources in the order the engine creates their replacements. */
  readonly replaced: readonly ResourceChange[];
  /** Resources updated in place (an instance type: stop and start), in creation order. */
  readonly updated: readonly ResourceChange[];
  /** Resources only the newer run declares, in creation order. */
  readonly created: readonly RecordedResource[];
  /** Resources only the older run declares, in deletion order (dependents first). */
  readonly deleted: readonly RecordedResource[];
  /** Types without a row in dev/resource-types/resource-type-table.ts: whether they are replaced is not known here. */
  readonly unknownTypes: readonly string[];
}

function valueAt(value: RecordedValue | undefined, path: readonly string[]): RecordedValue | undefined {
  let current = value;
  for (const key of path) current = isRecordedObject(current) ? current[key] : undefined;
  return current;
}

/** Deep equality of recorded values; an unknown value equals nothing (it may change). */
export function sameValue(a: RecordedValue | undefined, b: RecordedValue | undefined): boolean {
  if (a instanceof UnknownValue || b instanceof UnknownValue) return false;
  if (a instanceof SecretValue || b instanceof SecretValue) {
    return a instanceof SecretValue && b instanceof SecretValue && sameValue(a.value, b.value);
  }
  if (isRecordedList(a) || isRecordedList(b)) {
    return isRecordedList(a) && isRecordedList(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (isRecordedObject(a) || isRecordedObject(b)) {
    if (!isRecordedObject(a) || !isRecordedObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return a === b;
}

export function runChanges(before: ProgramRun, after: ProgramRun): RunChanges {
  const previous = new Map(before.resources.map((resource) => [resource.urn, resource]));
  const current = new Set(after.resources.map((resource) => resource.urn));
  const namesByUrn = new Map(after.resources.map((resource) => [resource.urn, resource.name]));
  const newIds = new Set<string>();
  const replaced: ResourceChange[] = [];
  const updated: ResourceChange[] = [];
  const created: RecordedResource[] = [];
  const unknownTypes = new Set<string>();

  for (const resource of creationOrder(after)) {
    if (!resource.custom) continue;
    const old = previous.get(resource.urn);
    if (old === undefined) {
      created.push(resource);
      newIds.add(resource.urn);
      continue;
    }
    const paths = replacingInputPaths(resource, Object.keys(old.inputs));
    if (paths === undefined) {
      unknownTypes.add(resource.type);
      continue;
    }
    const changed = (path: string): string[] => {
      const keys = path.split(".");
      if (!sameValue(valueAt(resource.inputs, keys), valueAt(old.inputs, keys))) return [path];
      const renewed = (resource.inputDependencies[keys[0]] ?? []).filter((urn) => newIds.has(urn));
      return renewed.length === 0 ? [] : [`${path} (new ID of ${renewed.map((urn) => namesByUrn.get(urn)).join(", ")})`];
    };
    const because = paths.flatMap(changed);
    if (because.length > 0) {
      replaced.push({ resource, because });
      newIds.add(resource.urn);
      continue;
    }
    const inputs = [...new Set([...Object.keys(resource.inputs), ...Object.keys(old.inputs)])].sort();
    const changedInPlace = inputs.flatMap(changed);
    if (changedInPlace.length > 0) updated.push({ resource, because: changedInPlace });
  }
  const deleted = creationOrder(before)
    .reverse()
    .filter((resource) => resource.custom && !current.has(resource.urn));
  return { replaced, updated, created, deleted, unknownTypes: [...unknownTypes].sort() };
}
