import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BenchOptionsError, parseBenchOptions, resultName } from "../../../bench/options";

const OUT = "/repo/bench/results";

function refusal(args: readonly string[]): string {
  try {
    parseBenchOptions(args, OUT);
  } catch (error) {
    assert.ok(error instanceof BenchOptionsError, `expected a BenchOptionsError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`${args.join(" ")} was accepted`);
}

describe("npm run bench: command line", () => {
  it("without arguments runs every figure but the variants, check perf at s only, failover median of 5", () => {
    const options = parseBenchOptions([], OUT);
    assert.equal(options.mode, "standard");
    assert.deepEqual(options.figures, ["plan", "healthy", "failover", "load", "perf", "snapshot"]);
    assert.deepEqual(options.perfLevels, ["s"]);
    assert.equal(options.failoverRuns, 5);
    assert.equal(options.outDir, OUT);
  });

  it("--quick keeps check perf at s and the 5 failovers, and cuts the other repeats and the load time", () => {
    const options = parseBenchOptions(["--quick"], OUT);
    assert.equal(options.mode, "quick");
    assert.deepEqual(options.perfLevels, ["s"]);
    assert.deepEqual([options.planRuns, options.bootRuns, options.failoverRuns, options.loadSeconds], [3, 5, 5, 5]);
  });

  it("--full opts into check perf at s, m and l and the variants", () => {
    const options = parseBenchOptions(["--full"], OUT);
    assert.deepEqual(options.perfLevels, ["s", "m", "l"]);
    assert.ok(options.figures.includes("variants"));
  });

  it("--only picks figures, in run order, with the mode's repeats", () => {
    const options = parseBenchOptions(["--quick", "--only", "variants,plan"], OUT);
    assert.deepEqual(options.figures, ["plan", "variants"]);
    assert.equal(options.planRuns, 3);
  });

  it("refuses an unknown figure, naming the figures there are", () => {
    assert.equal(refusal(["--only", "plan,speed"]), "--only plan,speed: unknown speed; figures: plan, healthy, failover, load, perf, snapshot, variants");
  });

  it("refuses --quick with --full", () => {
    assert.match(refusal(["--quick", "--full"]), /^--quick and --full exclude each other\nusage: npm run bench/);
  });

  it("refuses an unknown flag with the usage", () => {
    assert.match(refusal(["--repeat", "3"]), /Unknown option '--repeat'[\s\S]*usage: npm run bench/);
  });

  it("names results by mode, and by figures when a subset ran, so a partial run never overwrites a whole one", () => {
    assert.equal(resultName(parseBenchOptions(["--quick"], OUT)), "quick");
    assert.equal(resultName(parseBenchOptions(["--full"], OUT)), "full");
    assert.equal(resultName(parseBenchOptions(["--only", "load,perf"], OUT)), "standard-load-perf");
  });
});
