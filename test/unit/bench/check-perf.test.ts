import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCheckPerf } from "../../../bench/cluster/check-perf";

/** What etcdctl 3.5.16 printed for a passing `check perf --load=s` (progress bar shortened). */
const PASSED =
  "\r 0 / 60    0.00%\r 59 / 60   98.33%\r 60 / 60  100.00% 1m0s\n" +
  "PASS: Throughput is 148 writes/s\nPASS: Slowest request took 0.208908s\nPASS: Stddev is 0.009466s\nPASS\n";

/** The failing form, as etcdctl words each failed criterion. */
const FAILED = "\r 60 / 60  100.00% 1m0s\nFAIL: Throughput too low: 862 writes/s\n" + "Slowest request took too long: 0.612000s\nPASS: Stddev is 0.050000s\nFAIL\n";

describe("etcdctl check perf output", () => {
  it("reads throughput, slowest request, stddev and the PASS verdict past the progress bar", () => {
    assert.deepEqual(parseCheckPerf(PASSED), { writesPerSecond: 148, slowestSeconds: 0.208908, stddevSeconds: 0.009466, passed: true });
  });

  it("reads the same figures from the failing wording", () => {
    assert.deepEqual(parseCheckPerf(FAILED), { writesPerSecond: 862, slowestSeconds: 0.612, stddevSeconds: 0.05, passed: false });
  });

  it("finds the verdict past a client log line etcdctl printed after it", () => {
    const retried = '{"level":"warn","msg":"retrying of unary invoker failed","error":"etcdserver: request timed out"}\n';
    assert.equal(parseCheckPerf(FAILED + retried).passed, false);
    assert.equal(parseCheckPerf(PASSED + retried).writesPerSecond, 148);
  });

  it("refuses output without a final verdict (an interrupted or refused run)", () => {
    assert.throws(() => parseCheckPerf("Error: prefix /etcdctl-check-perf/ has keys\n"), /ended without PASS or FAIL/);
  });
});
