/**
 * Which input changes make the provider replace a resource rather than update it in place: the
 * `replacingInputs` of its type's row in dev/resource-types/resource-type-table.ts, widened by the
 * resource's own options.
 */
import { resourceTypeRow } from "../resource-types/resource-type-table";
import type { RecordedResource } from "../mock-runtime/run-record";

/**
 * The input paths whose change replaces this resource (its `replaceOnChanges` option included), or
 * undefined when the type has no row. `userDataBase64` replaces an instance only with
 * `userDataReplaceOnChange: true`; otherwise AWS stops and starts the instance with it.
 */
export function replacingInputPaths(resource: RecordedResource, otherInputs: readonly string[]): string[] | undefined {
  const entry = resourceTypeRow(resource.type)?.replacingInputs;
  if (entry === undefined) return undefined;
  const inputs = new Set([...Object.keys(resource.inputs), ...otherInputs]);
  const paths = "allExcept" in entry ? [...inputs].filter((input) => !entry.allExcept.includes(input)) : [...entry];
  if (resource.inputs.userDataReplaceOnChange === true) paths.push("userData", "userDataBase64");
  return [...paths, ...resource.options.replaceOnChanges];
}
