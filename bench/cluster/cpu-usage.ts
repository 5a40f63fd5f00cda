/**
 * CPU time, to tell a cluster that is slower because it does more work (TLS) from one that waits
 * (disk, network): the CPU seconds the etcd members used during a run, and how busy the whole
 * machine was (other tenants included). Read from /proc (proc(5)); the parsers are pure.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { LocalCluster } from "../../dev/local-cluster/local-cluster";

/** USER_HZ: /proc reports CPU time in these ticks; 100 on every Linux architecture etcd ships for. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) of a process from its /proc/<pid>/stat line. */
export function processCpuSeconds(statLine: string): number {
  // Fields after the parenthesised command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = statLine.slice(statLine.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Busy and total ticks of all CPUs from the `cpu` line of /proc/stat. */
export function machineTicks(procStat: string): { readonly busy: number; readonly total: number } {
  const line = procStat.split("\n").find((candidate) => candidate.startsWith("cpu "));
  if (line === undefined) throw new Error("/proc/stat has no cpu line");
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** Share of all CPUs busy between two /proc/stat readings, in percent. */
export function busyPercent(before: string, after: string): number {
  const [start, end] = [machineTicks(before), machineTicks(after)];
  return (100 * (end.busy - start.busy)) / (end.total - start.total);
}

function memberPids(cluster: LocalCluster): number[] {
  return cluster.members.flatMap((member) => execFileSync("ip", ["netns", "pids", member.namespace], { encoding: "utf8" }).split(/\s+/).filter(Boolean).map(Number));
}

/** A reading to compare a later one against. */
export interface CpuReading {
  readonly memberSeconds: number;
  readonly procStat: string;
}

export function readCpu(cluster: LocalCluster): CpuReading {
  const memberSeconds = memberPids(cluster)
    .map((pid) => processCpuSeconds(readFileSync(`/proc/${pid}/stat`, "utf8")))
    .reduce((sum, seconds) => sum + seconds, 0);
  return { memberSeconds, procStat: readFileSync("/proc/stat", "utf8") };
}

/** Member CPU seconds and machine busy percent between two readings of the same members. */
export function cpuBetween(before: CpuReading, after: CpuReading): { readonly memberSeconds: number; readonly machineBusyPercent: number } {
  return { memberSeconds: after.memberSeconds - before.memberSeconds, machineBusyPercent: busyPercent(before.procStat, after.procStat) };
}
