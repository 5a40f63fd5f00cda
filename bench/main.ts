/**
 * `npm run bench`: measures what users feel, each figure against a baseline measured in the same
 * run, and writes bench/results/<mode>.md and .json (options.ts lists the modes and figures).
 * Cluster figures boot real etcd in network namespaces (dev/local-cluster), so they need root;
 * everything they create is removed on exit, as in the e2e suite.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { join, relative } from "node:path";
import { etcdBinaries } from "../dev/local-cluster/etcd-binaries";
import { renderedBlueprint } from "../dev/local-cluster/program-blueprint";
import { failover } from "./cluster/failover";
import { checkPerfLevels, checkPerfVariants } from "./cluster/perf-figures";
import { referenceBlueprint } from "./cluster/reference-blueprint";
import { snapshotRestore } from "./cluster/snapshot-restore";
import { throughput } from "./cluster/throughput";
import { timeToHealthy } from "./cluster/time-to-healthy";
import { BenchOptionsError, parseBenchOptions, resultName, type BenchOptions, type FigureId } from "./options";
import { planSpeed } from "./plan/plan-speed";
import { renderMarkdown, reportJson, type BenchReport, type FigureResult } from "./results";

function log(line: string): void {
  process.stderr.write(`bench ${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

function loadText(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(" / ");
}

async function runFigures(options: BenchOptions): Promise<FigureResult[]> {
  const clusterFigures = options.figures.some((figure) => figure !== "plan");
  if (clusterFigures && process.getuid?.() !== 0) throw new Error("the cluster figures need root (network namespaces); run as root or --only plan");
  const rendered = clusterFigures ? await renderedBlueprint(3) : undefined;
  const reference = rendered && referenceBlueprint(rendered);
  const run: Record<FigureId, () => Promise<FigureResult>> = {
    plan: () => planSpeed(options, log),
    healthy: () => timeToHealthy(rendered!, reference!, options, log),
    failover: () => failover(rendered!, options, log),
    load: () => throughput(rendered!, reference!, options, log),
    perf: () => checkPerfLevels(rendered!, reference!, options, log),
    snapshot: () => snapshotRestore(options, log),
    variants: () => checkPerfVariants(rendered!, reference!, log),
  };
  const figures: FigureResult[] = [];
  for (const figure of options.figures) {
    log(`${figure}: starting (load ${loadText()})`);
    figures.push(await run[figure]());
  }
  return figures;
}

async function main(args: readonly string[]): Promise<void> {
  const options = parseBenchOptions(args, join(__dirname, "results"));
  const startedAt = new Date().toISOString();
  const loadBefore = loadText();
  log(`mode ${options.mode}: ${options.figures.join(", ")}`);
  const figures = await runFigures(options);
  const report: BenchReport = {
    mode: options.mode === "full" ? "full run" : `${options.mode} run`,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: {
      CPUs: `${cpus().length} × ${cpus()[0]?.model ?? "unknown"}`,
      "load average (1/5/15 min) before": loadBefore,
      "load average after": loadText(),
      kernel: release(),
      node: process.version,
      etcd: options.figures.some((figure) => figure !== "plan") ? execFileSync(etcdBinaries().etcd, ["--version"], { encoding: "utf8" }).split("\n")[0] : "not run",
    },
    figures,
  };
  mkdirSync(options.outDir, { recursive: true });
  const base = join(options.outDir, resultName(options));
  writeFileSync(`${base}.md`, renderMarkdown(report));
  writeFileSync(`${base}.json`, reportJson(report));
  log(`wrote ${relative(process.cwd(), base)}.md and .json`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof BenchOptionsError ? 2 : 1);
  },
);
