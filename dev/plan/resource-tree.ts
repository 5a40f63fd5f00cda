/**
 * The plan's resource tree: every resource under its parent (siblings ordered by name, then
 * type), its options as flags, then its inputs. Inputs, not state: they are what the program
 * decides and what a reviewer judges; computed outputs are placeholders offline.
 */
import type { ProgramRun, RecordedResource } from "../mock-runtime/run-record";
import { propertyLines, type PlanContext } from "./plan-values";

const INDENT = "  ";

/** `[protect, retainOnDelete, dependsOn: a, b]`, or "" when no option is set. */
function optionFlags(resource: RecordedResource, namesByUrn: ReadonlyMap<string, string>): string {
  const { options } = resource;
  const flags = [
    ...(options.protect ? ["protect"] : []),
    ...(options.retainOnDelete ? ["retainOnDelete"] : []),
    ...(options.deleteBeforeReplace ? ["deleteBeforeReplace"] : []),
    ...(options.dependsOn.length > 0 ? [`dependsOn: ${options.dependsOn.map((urn) => namesByUrn.get(urn) ?? urn).join(", ")}`] : []),
    ...(options.ignoreChanges.length > 0 ? [`ignoreChanges: ${options.ignoreChanges.join(", ")}`] : []),
    ...(options.replaceOnChanges.length > 0 ? [`replaceOnChanges: ${options.replaceOnChanges.join(", ")}`] : []),
  ];
  return flags.length === 0 ? "" : `  [${flags.join(", ")}]`;
}

function bySiblingOrder(a: RecordedResource, b: RecordedResource): number {
  return a.name.localeCompare(b.name) || a.type.localeCompare(b.type);
}

export function resourceTreeLines(run: ProgramRun, context: PlanContext): string[] {
  const children = new Map<string | undefined, RecordedResource[]>();
  for (const resource of run.resources) {
    const siblings = children.get(resource.parentUrn) ?? [];
    siblings.push(resource);
    children.set(resource.parentUrn, siblings);
  }
  const namesByUrn = new Map(run.resources.map((resource) => [resource.urn, resource.name]));

  const linesOf = (resource: RecordedResource, depth: number): string[] => {
    const indent = INDENT.repeat(depth);
    return [
      `${indent}${resource.type} ${resource.name}${optionFlags(resource, namesByUrn)}`,
      ...propertyLines(resource.inputs, context, `${indent}${INDENT}${INDENT}`),
      ...[...(children.get(resource.urn) ?? [])].sort(bySiblingOrder).flatMap((child) => linesOf(child, depth + 1)),
    ];
  };
  return [...(children.get(undefined) ?? [])].sort(bySiblingOrder).flatMap((root) => linesOf(root, 0));
}
