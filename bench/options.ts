/**
 * The command line of `npm run bench`: which figures, and how many repeats. Pure.
 *
 *   npm run bench                      standard: every figure but the check-perf variants, check perf at s
 *   npm run bench -- --quick           fewer repeats, shorter loads, check perf at s only
 *   npm run bench -- --full            more repeats, check perf at s, m and l, and the variants at m
 *   npm run bench -- --only load,perf  just these figures (with the mode's repeats)
 */
import { parseArgs } from "node:util";

export const BENCH_USAGE = "usage: npm run bench -- [--quick | --full] [--only <figure>[,<figure>…]] [--out <dir>]";

/** Figures, in the order they run. */
export const FIGURES = ["plan", "healthy", "failover", "load", "perf", "snapshot", "variants"] as const;
export type FigureId = (typeof FIGURES)[number];

/** `etcdctl check perf --load` levels; each runs 60 s. */
export const PERF_LEVELS = ["s", "m", "l"] as const;
export type PerfLevel = (typeof PERF_LEVELS)[number];

export type BenchMode = "quick" | "standard" | "full";

export interface BenchOptions {
  readonly mode: BenchMode;
  readonly figures: readonly FigureId[];
  /** Directory the results are written to. */
  readonly outDir: string;
  /** Whole-process plan runs per member count, per program. */
  readonly planRuns: number;
  /** Boots per cluster kind (time to healthy). */
  readonly bootRuns: number;
  /** Leader kills. */
  readonly failoverRuns: number;
  /** Load runs per cluster kind, alternating, and the seconds each measures. */
  readonly loadRuns: number;
  readonly loadSeconds: number;
  /** `check perf` levels run on both clusters. */
  readonly perfLevels: readonly PerfLevel[];
  /** Snapshot and restore rounds per tool. */
  readonly snapshotRuns: number;
}

export class BenchOptionsError extends Error {}

type Repeats = Omit<BenchOptions, "mode" | "figures" | "outDir">;

const REPEATS: Record<BenchMode, Repeats> = {
  quick: { planRuns: 3, bootRuns: 5, failoverRuns: 5, loadRuns: 2, loadSeconds: 5, perfLevels: ["s"], snapshotRuns: 2 },
  standard: { planRuns: 5, bootRuns: 9, failoverRuns: 5, loadRuns: 3, loadSeconds: 10, perfLevels: ["s"], snapshotRuns: 3 },
  full: { planRuns: 7, bootRuns: 15, failoverRuns: 7, loadRuns: 5, loadSeconds: 15, perfLevels: ["s", "m", "l"], snapshotRuns: 5 },
};

/** The check-perf variants run 60 s each: only in a full run, or when named in --only. */
export const DEFAULT_FIGURES: Record<BenchMode, readonly FigureId[]> = {
  quick: FIGURES.filter((figure) => figure !== "variants"),
  standard: FIGURES.filter((figure) => figure !== "variants"),
  full: FIGURES,
};

function parsedFigures(text: string): FigureId[] {
  const names = text
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(FIGURES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new BenchOptionsError(`--only ${text}: ${unknown.length > 0 ? `unknown ${unknown.join(", ")}` : "names no figure"}; figures: ${FIGURES.join(", ")}`);
  }
  return FIGURES.filter((figure) => names.includes(figure));
}

/** Reads `args` (what follows `npm run bench --`); throws BenchOptionsError for anything it cannot use. */
export function parseBenchOptions(args: readonly string[], defaultOutDir: string): BenchOptions {
  let values: { quick?: boolean; full?: boolean; only?: string; out?: string };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { quick: { type: "boolean" }, full: { type: "boolean" }, only: { type: "string" }, out: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new BenchOptionsError(`${error instanceof Error ? error.message : String(error)}\n${BENCH_USAGE}`);
  }
  if (values.quick && values.full) throw new BenchOptionsError(`--quick and --full exclude each other\n${BENCH_USAGE}`);
  const mode: BenchMode = values.quick ? "quick" : values.full ? "full" : "standard";
  const figures = values.only === undefined ? DEFAULT_FIGURES[mode] : parsedFigures(values.only);
  return { mode, figures, outDir: values.out ?? defaultOutDir, ...REPEATS[mode] };
}

/** The results' file name: the mode, and the figures when a subset ran. */
export function resultName(options: BenchOptions): string {
  const all = DEFAULT_FIGURES[options.mode];
  const subset = options.figures.length !== all.length || options.figures.some((figure) => !all.includes(figure));
  return subset ? `${options.mode}-${options.figures.join("-")}` : options.mode;
}
