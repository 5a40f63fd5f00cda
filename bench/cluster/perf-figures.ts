/**
 * Figure 4b, etcd's own verdict: `etcdctl check perf` at each level on a fresh rendered cluster and
 * a fresh reference cluster; and figure 4c, the variants: the same check at one level on the
 * rendered config changed one factor at a time (perf-variants.ts), each paired with a reference run
 * right before it, so slow drift of a shared machine hits both sides of a pair alike.
 */
import type { ClusterBlueprint } from "../../dev/local-cluster/blueprint";
import type { BenchOptions, PerfLevel } from "../options";
import type { FigureResult, Row } from "../results";
import { summarize } from "../stats";
import { withBootedCluster } from "./boot";
import { checkPerf, type CheckPerfRun } from "./check-perf";
import { PERF_VARIANTS, variantBlueprint } from "./perf-variants";

/** The level the issue's rendered cluster failed at, and the variants are measured at. */
export const VARIANT_LEVEL: PerfLevel = "m";

function perfRun(blueprint: ClusterBlueprint, label: string, level: PerfLevel): Promise<CheckPerfRun> {
  return withBootedCluster(blueprint, label, (cluster) => checkPerf(cluster, level));
}

function describe(run: CheckPerfRun): string {
  return (
    `${run.writesPerSecond} writes/s, slowest ${run.slowestSeconds}s, stddev ${run.stddevSeconds}s, ${run.passed ? "PASS" : "FAIL"}, ` +
    `members ${run.memberCpuSeconds.toFixed(1)} CPU s, machine ${run.machineBusyPercent.toFixed(0)} % busy`
  );
}

/** check perf writes for a fixed 60 s at every level. */
const CHECK_PERF_SECONDS = 60;

/** Member CPU milliseconds per acknowledged write, all three members together. */
function cpuMsPerWrite(run: CheckPerfRun): number {
  return (run.memberCpuSeconds * 1000) / (run.writesPerSecond * CHECK_PERF_SECONDS);
}

/** The rows of one subject/baseline pair of check perf runs. */
function pairRows(label: string, subject: CheckPerfRun, baseline: CheckPerfRun, gated: boolean): Row[] {
  return [
    {
      label: `${label}: writes/s`,
      unit: "writes/s",
      subject: summarize([subject.writesPerSecond]),
      baseline: summarize([baseline.writesPerSecond]),
      targets: gated ? [{ kind: "passes-where-baseline-passes" }] : [],
      subjectPassed: subject.passed,
      baselinePassed: baseline.passed,
    },
    { label: `${label}: slowest request`, unit: "s", subject: summarize([subject.slowestSeconds]), baseline: summarize([baseline.slowestSeconds]), targets: [] },
    {
      label: `${label}: etcd members' CPU time per write`,
      unit: "CPU ms",
      subject: summarize([cpuMsPerWrite(subject)]),
      baseline: summarize([cpuMsPerWrite(baseline)]),
      targets: [],
    },
    {
      label: `${label}: machine busy (all tenants)`,
      unit: "%",
      subject: summarize([subject.machineBusyPercent]),
      baseline: summarize([baseline.machineBusyPercent]),
      targets: [],
    },
  ];
}

export async function checkPerfLevels(
  rendered: ClusterBlueprint,
  reference: ClusterBlueprint,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<FigureResult> {
  const rows: Row[] = [];
  const missedLevels: PerfLevel[] = [];
  for (const level of options.perfLevels) {
    const subject = await perfRun(rendered, `bp-ren-${level}`, level);
    log(`check perf ${level}: rendered ${describe(subject)}`);
    const baseline = await perfRun(reference, `bp-ref-${level}`, level);
    log(`check perf ${level}: reference ${describe(baseline)}`);
    rows.push(...pairRows(`--load=${level}`, subject, baseline, true));
    if (baseline.passed && !subject.passed) missedLevels.push(level);
  }
  return {
    id: "perf",
    title: "4b. `etcdctl check perf` (etcd's verdict)",
    subject: "a freshly booted rendered 3-member TLS cluster per level (admin client certificate)",
    baseline: "a freshly booted reference plaintext cluster per level",
    rows,
    notes: [
      `Levels run: ${options.perfLevels.join(", ")} (60 s each; \`--full\` runs s, m and l). One run per level and cluster: a check takes a minute.`,
      "check perf passes when throughput reaches 90 % of the level's rate (s 150, m 1000, l 8000 writes/s), the slowest request stays under 0.5 s and the standard deviation under 0.1 s.",
      ...(missedLevels.length > 0
        ? [
            `Missed at ${missedLevels.map((level) => `--load=${level}`).join(", ")}: one run each, so compare the CPU rows and figure 4c ` +
              "(variants, `--only variants`): on a machine near 100 % busy the cluster that spends more member CPU per write loses, and " +
              "TLS on the client and the peer side is that cost. The README's benchmark section has the analysis.",
          ]
        : []),
    ],
  };
}

/** What the variant runs say as a whole: how often the reference itself passed, and which variants passed. */
function variantNotes(references: readonly CheckPerfRun[], subjects: ReadonlyMap<string, CheckPerfRun>): string[] {
  const throughput = summarize(references.map((run) => run.writesPerSecond));
  const passed = [...subjects].filter(([, run]) => run.passed).map(([id]) => id);
  return [
    `The reference passed ${references.filter((run) => run.passed).length} of ${references.length} runs at --load=${VARIANT_LEVEL} ` +
      `(${throughput.min}–${throughput.max} writes/s, median ${throughput.median}; passing needs 900 and a slowest request under 0.5 s).`,
    `Variants that passed: ${passed.length > 0 ? passed.join(", ") : "none"}.`,
    "One run per variant (60 s each): read a single row against the reference's own run-to-run spread above, not as a measurement of its own.",
  ];
}

export async function checkPerfVariants(rendered: ClusterBlueprint, reference: ClusterBlueprint, log: (line: string) => void): Promise<FigureResult> {
  const rows: Row[] = [];
  const references: CheckPerfRun[] = [];
  const subjects = new Map<string, CheckPerfRun>();
  for (const variant of PERF_VARIANTS) {
    const baseline = await perfRun(reference, `bv-ref`, VARIANT_LEVEL);
    const subject = await perfRun(variantBlueprint(rendered, variant), `bv-var`, VARIANT_LEVEL);
    references.push(baseline);
    subjects.set(variant.id, subject);
    log(`variant ${variant.id}: ${describe(subject)}; paired reference ${describe(baseline)}`);
    rows.push(...pairRows(`${variant.id} (${variant.description})`, subject, baseline, false));
  }
  return {
    id: "variants",
    title: `4c. What separates the two at \`check perf --load=${VARIANT_LEVEL}\`: one factor at a time`,
    subject: "the rendered config with one factor changed (measurement devices, not proposals)",
    baseline: "a reference cluster run right before each variant",
    rows,
    notes: variantNotes(references, subjects),
  };
}
