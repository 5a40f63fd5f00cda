/**
 * The reviewable diff of a stack between two versions of the program (`npm run plan -- <stack>
 * --diff <ref>`): per member, in the order the rollout touches them, the resources the update
 * replaces or updates in place and the unified diff of every file the member's instance receives. The rollout order is
 * the member chain itself (each instance waits for the previous member's health gate), read from
 * the recorded graph. Resources that belong to no member are listed first. Nothing changed prints
 * only the summary line.
 */
import { creationOrder } from "../mock-runtime/dependency-order";
import type { ProgramRun, RecordedResource } from "../mock-runtime/run-record";
import { headerComments, INSTANCE_TYPE, membersFiles, type MemberFiles } from "./instance-files";
import { maskPemBlocks } from "./plan-values";
import { runChanges, type ResourceChange } from "./run-changes";
import { unifiedDiff } from "./unified-diff";

/** What the two versions are called in file headers, e.g. `origin/main` and `this checkout`. */
export interface DiffLabels {
  readonly before: string;
  readonly after: string;
}

/** The pseudo-file for the cloud-config's header comments (what runs, certificate fingerprint). */
const HEADER_FILE = "(cloud-config header)";

/** Member resources are named `<cluster>-member-<i>-<role>`: the instance's name less `instance`. */
function memberPrefix(instance: RecordedResource): string {
  return instance.name.replace(/instance$/, "");
}

function fileTexts(member: MemberFiles | undefined): Map<string, string> {
  if (member === undefined || "unreadable" in member) return new Map();
  return new Map([
    [HEADER_FILE, headerComments(member.userData).join("\n") + "\n"],
    ...member.files.map((file): [string, string] => [`${file.path} (${file.permissions})`, maskPemBlocks(file.content)]),
  ]);
}

function fileDiffs(before: MemberFiles | undefined, after: MemberFiles | undefined, labels: DiffLabels): string[] {
  const old = fileTexts(before);
  const now = fileTexts(after);
  const paths = [...new Set([...now.keys(), ...old.keys()])];
  return paths.flatMap((path) => {
    const diff = unifiedDiff(old.get(path) ?? "", now.get(path) ?? "", {
      expected: `${path} (${old.has(path) ? labels.before : "absent"})`,
      actual: `${path} (${now.has(path) ? labels.after : "absent"})`,
    });
    return diff === "" ? [] : [diff];
  });
}

function changeLine(change: ResourceChange): string {
  return `  ${change.resource.name} (${change.resource.type}): ${change.because.join("; ")}`;
}

interface Section {
  readonly heading: string;
  readonly lines: readonly string[];
  readonly isMember: boolean;
}

export function renderPlanDiff(stack: string, before: ProgramRun, after: ProgramRun, labels: DiffLabels): string {
  const changes = runChanges(before, after);
  const beforeMembers = new Map(membersFiles(before).map((member) => [member.instance.urn, member]));
  const afterMembers = new Map(membersFiles(after).map((member) => [member.instance.urn, member]));
  const rollout = [
    ...creationOrder(after).filter((resource) => resource.type === INSTANCE_TYPE),
    ...changes.deleted.filter((resource) => resource.type === INSTANCE_TYPE),
  ];
  const prefixes = rollout.map(memberPrefix);
  const ownedBy = (resource: RecordedResource) => prefixes.find((prefix) => resource.name.startsWith(prefix));

  const sections: Section[] = [];
  const unowned = (list: readonly ResourceChange[]) => list.filter((change) => ownedBy(change.resource) === undefined);
  const clusterLines = [
    ...unowned(changes.replaced).map((change) => `${changeLine(change)} [replaced]`),
    ...unowned(changes.updated).map((change) => `${changeLine(change)} [updated in place]`),
    ...changes.created.filter((resource) => ownedBy(resource) === undefined).map((resource) => `  ${resource.name} (${resource.type}): created`),
    ...changes.deleted.filter((resource) => ownedBy(resource) === undefined).map((resource) => `  ${resource.name} (${resource.type}): deleted`),
  ];
  if (clusterLines.length > 0) sections.push({ heading: "== resources of no member ==", lines: clusterLines, isMember: false });

  rollout.forEach((instance, position) => {
    const prefix = memberPrefix(instance);
    const mine = (resource: RecordedResource) => resource.name.startsWith(prefix);
    const replaced = changes.replaced.filter((change) => mine(change.resource));
    const updated = changes.updated.filter((change) => mine(change.resource));
    const isNew = changes.created.some((resource) => resource.urn === instance.urn);
    const isGone = changes.deleted.some((resource) => resource.urn === instance.urn);
    const diffs = fileDiffs(beforeMembers.get(instance.urn), afterMembers.get(instance.urn), labels);
    if (replaced.length === 0 && updated.length === 0 && !isNew && !isGone && diffs.length === 0) return;
    const member = afterMembers.get(instance.urn) ?? beforeMembers.get(instance.urn);
    const name = member !== undefined && !("unreadable" in member) && member.memberName !== undefined ? member.memberName : instance.name;
    const restarts = updated.some((change) => change.resource.type === INSTANCE_TYPE);
    const what = isNew
      ? "new member"
      : isGone
        ? "member removed"
        : replaced.length > 0
          ? "replaced"
          : restarts
            ? "instance updated in place (stop and start)"
            : "updated, instance kept";
    sections.push({
      isMember: true,
      heading: `== ${position + 1}. member ${name} (instance ${instance.name}): ${what} ==`,
      lines: [
        ...(replaced.length > 0 ? ["replaced, in this order:", ...replaced.map(changeLine)] : []),
        ...(updated.length > 0 ? ["updated in place:", ...updated.map(changeLine)] : []),
        ...diffs,
      ],
    });
  });

  const changedMembers = sections.filter((section) => section.isMember);
  const summary =
    sections.length === 0
      ? `stack ${stack}: no changes`
      : `stack ${stack}: ${changedMembers.length} member(s) change, ${changes.replaced.length} resource(s) replaced, ` +
        `${changes.updated.length} updated in place, ${changes.created.length} created, ${changes.deleted.length} deleted`;
  const unknown = changes.unknownTypes.map((type) => `note: ${type} has no row in dev/resource-types/resource-type-table.ts; whether it is replaced is unknown`);
  return [summary, ...unknown, ...sections.flatMap((section) => ["", section.heading, ...section.lines])].join("\n") + "\n";
}
