/**
 * `etcdctl check perf --load=<level>` (etcd's own verdict: 60 s of rate-limited writes; it passes
 * when throughput reaches 90 % of the level's rate, the slowest request stays under 0.5 s and the
 * standard deviation under 0.1 s), run from the hub against every member, with the member CPU time
 * and machine load of the run.
 */
import { etcdBinaries } from "../../dev/local-cluster/etcd-binaries";
import { tlsFlags } from "../../dev/local-cluster/etcdctl";
import type { LocalCluster } from "../../dev/local-cluster/local-cluster";
import { execInNamespace } from "../../dev/local-cluster/namespace-exec";
import type { PerfLevel } from "../options";
import { isTlsCluster } from "./boot";
import { cpuBetween, readCpu } from "./cpu-usage";

export interface CheckPerfVerdict {
  readonly writesPerSecond: number;
  readonly slowestSeconds: number;
  readonly stddevSeconds: number;
  /** etcdctl's final line: PASS or FAIL. */
  readonly passed: boolean;
}

export interface CheckPerfRun extends CheckPerfVerdict {
  /** CPU seconds all members used during the run. */
  readonly memberCpuSeconds: number;
  /** How busy all the machine's CPUs were during the run, in percent (other tenants included). */
  readonly machineBusyPercent: number;
}

function numberAfter(output: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(output);
  if (match === null) throw new Error(`check perf printed no ${what}:\n${output}`);
  return Number(match[1]);
}

/**
 * Reads check perf's verdict lines; progress-bar redraws before them and client log lines (etcdctl
 * logs a retried request as JSON) around them are ignored.
 */
export function parseCheckPerf(output: string): CheckPerfVerdict {
  const lines = output
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter(Boolean);
  const verdict = lines.findLast((line) => line === "PASS" || line === "FAIL");
  if (verdict === undefined) throw new Error(`check perf ended without PASS or FAIL:\n${lines.slice(-5).join("\n")}`);
  return {
    writesPerSecond: numberAfter(output, /(\d+) writes\/s/, "throughput"),
    slowestSeconds: numberAfter(output, /Slowest request took(?: too long:)? ([\d.]+)s/, "slowest request"),
    stddevSeconds: numberAfter(output, /Stddev (?:is|too high:) ([\d.]+)s/, "standard deviation"),
    passed: verdict === "PASS",
  };
}

/** Bound of etcdctl's own requests around the 60 s load (the prefix check and the clean-up delete). */
const COMMAND_TIMEOUT_MS = 30_000;

export async function checkPerf(cluster: LocalCluster, level: PerfLevel): Promise<CheckPerfRun> {
  const flags = isTlsCluster(cluster) ? tlsFlags(cluster.adminFiles) : [];
  const before = readCpu(cluster);
  const result = await execInNamespace(cluster.network.hubNamespace, [
    etcdBinaries().etcdctl,
    `--endpoints=${cluster.endpoints().join(",")}`,
    `--command-timeout=${COMMAND_TIMEOUT_MS}ms`,
    ...flags,
    "check",
    "perf",
    `--load=${level}`,
  ]);
  const cpu = cpuBetween(before, readCpu(cluster));
  // A FAIL verdict exits non-zero; only output without a verdict is an error.
  return { ...parseCheckPerf(`${result.stdout}\n${result.stderr}`), memberCpuSeconds: cpu.memberSeconds, machineBusyPercent: cpu.machineBusyPercent };
}
