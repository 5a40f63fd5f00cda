import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { median, percentile, ratio, summarize } from "../../../bench/stats";

describe("bench statistics", () => {
  it("the median of an odd count is the middle sample, whatever the order", () => {
    assert.equal(median([900, 120, 130]), 130);
  });

  it("the median of an even count is the mean of the two middle samples", () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it("nearest-rank p99 of 100 samples is the 99th smallest, p50 the 50th", () => {
    const samples = Array.from({ length: 100 }, (_, index) => 100 - index);
    assert.equal(percentile(samples, 99), 99);
    assert.equal(percentile(samples, 50), 50);
  });

  it("p99 of fewer than 100 samples is the largest one, never an interpolation", () => {
    assert.equal(percentile([1, 2, 3, 10], 99), 10);
  });

  it("refuses a percentile outside (0, 100]", () => {
    assert.throws(() => percentile([1], 0), /percentile 0 is outside/);
    assert.throws(() => percentile([1], 101), /percentile 101 is outside/);
  });

  it("refuses to summarise no samples or a non-finite one", () => {
    assert.throws(() => median([]), /median of no samples/);
    assert.throws(() => summarize([1, Number.NaN]), /non-finite sample/);
  });

  it("a summary keeps the samples in run order beside median, min and max", () => {
    assert.deepEqual(summarize([3, 1, 2]), { median: 2, min: 1, max: 3, samples: [3, 1, 2] });
  });

  it("a ratio is subject over baseline and refuses a zero baseline", () => {
    assert.equal(ratio(862, 907).toFixed(3), "0.950");
    assert.throws(() => ratio(1, 0), /zero baseline/);
  });
});
