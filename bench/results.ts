/**
 * What a benchmark run found, and its two written forms under bench/results/: JSON (every sample,
 * for later comparison) and a Markdown table per figure (for people). Pure: no I/O here.
 */
import { ratio, type Summary } from "./stats";

/** What a row must show to meet its target. */
export type Target =
  /** subject / baseline must not exceed `value` (times, latencies). */
  | { readonly kind: "ratio-at-most"; readonly value: number }
  /** subject / baseline must reach `value` (throughput). */
  | { readonly kind: "ratio-at-least"; readonly value: number }
  /** the subject's median must not exceed `value`, in the row's unit. */
  | { readonly kind: "subject-at-most"; readonly value: number }
  /** etcd's own verdict: the subject passes wherever the baseline passes. */
  | { readonly kind: "passes-where-baseline-passes" };

/** One measured quantity, on the subject and on the baseline of its figure. */
export interface Row {
  readonly label: string;
  /** Unit of the samples, e.g. `ms`, `writes/s`. */
  readonly unit: string;
  readonly subject: Summary;
  readonly baseline: Summary;
  readonly targets: readonly Target[];
  /** etcd's pass/fail verdicts, where the row is one (`etcdctl check perf`). */
  readonly subjectPassed?: boolean;
  readonly baselinePassed?: boolean;
}

export interface FigureResult {
  readonly id: string;
  readonly title: string;
  /** What was measured, e.g. "rendered 3-member TLS cluster". */
  readonly subject: string;
  /** What it is compared against, measured in the same run. */
  readonly baseline: string;
  readonly rows: readonly Row[];
  /** Method, evidence, and for a missed target why and what would close it. */
  readonly notes: readonly string[];
}

export interface BenchReport {
  readonly mode: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Machine facts that make the numbers comparable (CPUs, load before and after, versions). */
  readonly machine: Readonly<Record<string, string>>;
  readonly figures: readonly FigureResult[];
}

export type Verdict = "met" | "missed" | "no target";

export function rowRatio(row: Row): number {
  return ratio(row.subject.median, row.baseline.median);
}

function targetMet(row: Row, target: Target): boolean {
  switch (target.kind) {
    case "ratio-at-most":
      return rowRatio(row) <= target.value;
    case "ratio-at-least":
      return rowRatio(row) >= target.value;
    case "subject-at-most":
      return row.subject.median <= target.value;
    case "passes-where-baseline-passes":
      return row.subjectPassed === true || row.baselinePassed !== true;
  }
}

export function rowVerdict(row: Row): Verdict {
  if (row.targets.length === 0) return "no target";
  return row.targets.every((target) => targetMet(row, target)) ? "met" : "missed";
}

function targetText(target: Target, unit: string): string {
  switch (target.kind) {
    case "ratio-at-most":
      return `≤ ${target.value}×`;
    case "ratio-at-least":
      return `≥ ${target.value}×`;
    case "subject-at-most":
      return `≤ ${formatValue(target.value, unit)}`;
    case "passes-where-baseline-passes":
      return "passes where the baseline passes";
  }
}

/** A value with its unit, rounded to what the measurement can resolve. */
export function formatValue(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

function cell(summary: Summary, unit: string, passed: boolean | undefined): string {
  const verdict = passed === undefined ? "" : passed ? " PASS" : " FAIL";
  return `${formatValue(summary.median, unit)}${verdict}`;
}

function samplesText(summary: Summary): string {
  return summary.samples.map((sample) => formatValue(sample, "").trim()).join(", ");
}

/** The Markdown table of one figure, then its notes. */
export function renderFigure(figure: FigureResult): string {
  const lines = [
    `## ${figure.title}`,
    "",
    `Subject: ${figure.subject}. Baseline: ${figure.baseline}.`,
    "",
    "| measurement | subject (median) | baseline (median) | ratio | target | verdict | subject samples | baseline samples |",
    "| --- | ---: | ---: | ---: | --- | --- | --- | --- |",
    ...figure.rows.map((row) =>
      [
        row.label,
        cell(row.subject, row.unit, row.subjectPassed),
        cell(row.baseline, row.unit, row.baselinePassed),
        `${rowRatio(row).toFixed(2)}×`,
        row.targets.map((target) => targetText(target, row.unit)).join(", ") || "—",
        rowVerdict(row),
        samplesText(row.subject),
        samplesText(row.baseline),
      ]
        .join(" | ")
        .replace(/^/, "| ")
        .replace(/$/, " |"),
    ),
  ];
  if (figure.notes.length > 0) lines.push("", ...figure.notes.map((note) => `- ${note}`));
  return lines.join("\n");
}

export function renderMarkdown(report: BenchReport): string {
  const machine = Object.entries(report.machine).map(([key, value]) => `- ${key}: ${value}`);
  return [
    `# Benchmark results (${report.mode})`,
    "",
    `Run from ${report.startedAt} to ${report.finishedAt} by \`npm run bench\`. Every figure is a ratio of medians`,
    "against a baseline measured in the same run; samples are listed in run order.",
    "",
    ...machine,
    "",
    ...report.figures.flatMap((figure) => [renderFigure(figure), ""]),
  ].join("\n");
}

/** The JSON form: the report with each row's ratio and verdict spelled out. */
export function reportJson(report: BenchReport): string {
  const figures = report.figures.map((figure) => ({
    ...figure,
    rows: figure.rows.map((row) => ({ ...row, ratio: rowRatio(row), verdict: rowVerdict(row) })),
  }));
  return `${JSON.stringify({ ...report, figures }, null, 2)}\n`;
}
