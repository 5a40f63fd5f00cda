import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatValue, renderFigure, renderMarkdown, reportJson, rowVerdict, type FigureResult, type Row } from "../../../bench/results";
import { summarize } from "../../../bench/stats";

function row(subject: number[], baseline: number[], targets: Row["targets"], extra: Partial<Row> = {}): Row {
  return { label: "x", unit: "ms", subject: summarize(subject), baseline: summarize(baseline), targets, ...extra };
}

const FIGURE: FigureResult = {
  id: "healthy",
  title: "2. Time to healthy",
  subject: "rendered",
  baseline: "reference",
  rows: [row([1300, 1200, 1250], [1000, 1000, 1100], [{ kind: "ratio-at-most", value: 1.3 }], { label: "start → healthy" })],
  notes: ["polled every 25 ms"],
};

describe("bench results: verdicts", () => {
  it("a time target holds at exactly its ratio and is missed just above it", () => {
    assert.equal(rowVerdict(row([130], [100], [{ kind: "ratio-at-most", value: 1.3 }])), "met");
    assert.equal(rowVerdict(row([131], [100], [{ kind: "ratio-at-most", value: 1.3 }])), "missed");
  });

  it("a throughput target needs the subject at or above the ratio", () => {
    assert.equal(rowVerdict(row([80], [100], [{ kind: "ratio-at-least", value: 0.8 }])), "met");
    assert.equal(rowVerdict(row([79], [100], [{ kind: "ratio-at-least", value: 0.8 }])), "missed");
  });

  it("every target of a row must hold: the 7-member plan needs both its ratio and its 2 s", () => {
    const targets: Row["targets"] = [
      { kind: "ratio-at-most", value: 1.5 },
      { kind: "subject-at-most", value: 2000 },
    ];
    assert.equal(rowVerdict(row([2100], [1500], targets)), "missed");
    assert.equal(rowVerdict(row([1900], [1500], targets)), "met");
  });

  it("check perf: a subject FAIL misses only where the baseline passed", () => {
    const target: Row["targets"] = [{ kind: "passes-where-baseline-passes" }];
    assert.equal(rowVerdict(row([862], [907], target, { subjectPassed: false, baselinePassed: true })), "missed");
    assert.equal(rowVerdict(row([862], [850], target, { subjectPassed: false, baselinePassed: false })), "met");
  });

  it("a row without a target has no verdict", () => {
    assert.equal(rowVerdict(row([1], [1], [])), "no target");
  });
});

describe("bench results: rendering", () => {
  it("a figure renders as a Markdown table of medians, ratio, target, verdict and samples in run order", () => {
    assert.equal(
      renderFigure(FIGURE),
      [
        "## 2. Time to healthy",
        "",
        "Subject: rendered. Baseline: reference.",
        "",
        "| measurement | subject (median) | baseline (median) | ratio | target | verdict | subject samples | baseline samples |",
        "| --- | ---: | ---: | ---: | --- | --- | --- | --- |",
        "| start → healthy | 1250 ms | 1000 ms | 1.25× | ≤ 1.3× | met | 1300, 1200, 1250 | 1000, 1000, 1100 |",
        "",
        "- polled every 25 ms",
      ].join("\n"),
    );
  });

  it("check perf cells carry etcd's PASS or FAIL beside the throughput", () => {
    const perf = {
      ...FIGURE,
      rows: [row([862], [907], [{ kind: "passes-where-baseline-passes" }], { unit: "writes/s", subjectPassed: false, baselinePassed: true })],
    };
    assert.match(renderFigure(perf), /\| x \| 862 writes\/s FAIL \| 907 writes\/s PASS \| 0\.95× \| passes where the baseline passes \| missed \|/);
  });

  it("values keep precision where they are small and none where they are large", () => {
    assert.equal(formatValue(1234.56, "ms"), "1235 ms");
    assert.equal(formatValue(12.345, "ms"), "12.3 ms");
    assert.equal(formatValue(0.2089, "s"), "0.21 s");
  });

  it("the Markdown report names the mode and the machine, the JSON adds each row's ratio and verdict", () => {
    const report = { mode: "quick run", startedAt: "t0", finishedAt: "t1", machine: { CPUs: "2" }, figures: [FIGURE] };
    assert.match(renderMarkdown(report), /^# Benchmark results \(quick run\)\n[\s\S]*- CPUs: 2\n[\s\S]*## 2\. Time to healthy/);
    const json = JSON.parse(reportJson(report)) as { figures: { rows: { ratio: number; verdict: string }[] }[] };
    assert.deepEqual(
      json.figures[0].rows.map((r) => [r.ratio, r.verdict]),
      [[1.25, "met"]],
    );
  });
});
