/**
 * What the host drills ask of a running cluster and its instances: the member list as etcd reports
 * it, the outcome of a boot, and a look at the etcd process systemd started.
 */
import assert from "node:assert/strict";
import type { DeclaredInstance } from "../../../dev/member-host/aws-side";
import type { HostDrill, Rendering } from "../../../dev/member-host/host-drill";
import type { BootResult, MemberInstance } from "../../../dev/member-host/member-host";

/** Bound of one boot (cloud-init start to result); a bound, never an assertion on speed. */
export const BOOT_WITHIN_MS = 300_000;

/** One line of `etcdctl member list`. */
export interface ListedMember {
  /** Member ID, hex. */
  readonly id: string;
  readonly started: boolean;
  readonly name: string;
  readonly isLearner: boolean;
}

export function clientUrl(instance: DeclaredInstance): string {
  return `https://${instance.ip}:2379`;
}

/** `etcdctl member list` through the given members' client URLs. */
export async function memberList(drill: HostDrill, rendering: Rendering, through: readonly DeclaredInstance[]): Promise<ListedMember[]> {
  const result = await drill.etcdctl(rendering, through.map(clientUrl), ["member", "list"]);
  assert.ok(result.ok, `member list failed: ${result.stderr}`);
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => {
      const [id = "", started = "", name = "", , , isLearner = ""] = line.split(", ");
      return { id, started: started === "started", name, isLearner: isLearner === "true" };
    });
}

/** Waits for the boot's outcome, prints its time, and fails with the boot's log unless it succeeded. */
export async function expectBooted(member: MemberInstance): Promise<BootResult> {
  const result = await member.bootResult(BOOT_WITHIN_MS).catch(async (error: unknown) => {
    throw new Error(`${String(error)}\n--- etcd journal ---\n${await etcdJournal(member)}`);
  });
  console.log(`host drill: ${member.launch.name} (${member.launch.instanceId}) booted in ${(result.bootMs / 1000).toFixed(1)} s`);
  assert.deepEqual(result.errors, [], `boot of ${member.launch.name} failed:\n${member.bootLog()}\n--- etcd journal ---\n${await etcdJournal(member)}`);
  return result;
}

/** The last lines etcd's unit logged on the instance. */
export async function etcdJournal(member: MemberInstance): Promise<string> {
  const result = await member.exec(["journalctl", "--no-pager", "--unit=etcd.service", "--lines=30"]);
  return result.stdout || result.stderr;
}

/** `/proc/<pid>/status` of the process systemd runs as etcd.service's main process. */
export async function etcdProcessStatus(member: MemberInstance): Promise<{ pid: string; status: string; limits: string }> {
  const pid = (await member.run(["systemctl", "show", "--property=MainPID", "--value", "etcd.service"])).trim();
  assert.notEqual(pid, "0", "etcd.service has no main process");
  return { pid, status: await member.run(["cat", `/proc/${pid}/status`]), limits: await member.run(["cat", `/proc/${pid}/limits`]) };
}

/** `stat` of a path inside the instance: "<octal mode> <owner>:<group>". */
export async function modeAndOwner(member: MemberInstance, path: string): Promise<string> {
  return (await member.run(["stat", "--format=%a %U:%G", path])).trim();
}

/** The hard "Max open files" of a `/proc/<pid>/limits` text. */
export function openFilesHardLimit(limits: string): number {
  const match = /^Max open files\s+\S+\s+(\d+)/m.exec(limits);
  if (match?.[1] === undefined) throw new Error(`no open-files limit in:\n${limits}`);
  return Number(match[1]);
}
