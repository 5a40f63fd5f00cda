/**
 * The statistics every figure reports: medians over repeated runs (robust to the one run a busy
 * neighbour slowed down), nearest-rank percentiles of latencies, and ratios against a baseline
 * measured in the same run.
 */

/** Samples of one quantity, and their median, minimum and maximum. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

function sorted(values: readonly number[], what: string): number[] {
  if (values.length === 0) throw new Error(`${what} of no samples`);
  if (values.some((value) => !Number.isFinite(value))) throw new Error(`${what} of a non-finite sample: ${values.join(", ")}`);
  return [...values].sort((a, b) => a - b);
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  const ordered = sorted(values, "median");
  const middle = Math.floor(ordered.length / 2);
  return ordered.length % 2 === 1 ? ordered[middle] : (ordered[middle - 1] + ordered[middle]) / 2;
}

/**
 * The nearest-rank percentile (`p` in 0..100): the smallest sample with at least p % of the
 * samples at or below it, so p99 of 100 samples is the 99th smallest, never an interpolation.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new Error(`percentile ${p} is outside (0, 100]`);
  const ordered = sorted(values, `p${p}`);
  return ordered[Math.ceil((p / 100) * ordered.length) - 1];
}

export function summarize(samples: readonly number[]): Summary {
  const ordered = sorted(samples, "summary");
  return { median: median(ordered), min: ordered[0], max: ordered.at(-1)!, samples: [...samples] };
}

/** subject / baseline; a zero baseline has no ratio. */
export function ratio(subject: number, baseline: number): number {
  if (baseline === 0) throw new Error(`ratio against a zero baseline (subject ${subject})`);
  return subject / baseline;
}
