/**
 * A real Prometheus (Debian's `prometheus`, the one `.ci/run` installs) in the hub namespace of a
 * local cluster, scraping the members with the scrape config `etcd-ops scrape-config` renders and
 * evaluating the shipped alert rules. The only test changes: every `for:` is shortened to
 * TEST_FOR, evaluations run every second, and so do etcd's scrapes (the member endpoint's, 5 s). Stopped and its data removed by `stop`
 * or, failing that, by the cleanup handlers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { onCleanup } from "../../../dev/local-cluster/cleanup";
import { HUB_CLIENT_IP } from "../../../dev/local-cluster/loopback-network";
import { execInNamespace, expectOk } from "../../../dev/local-cluster/namespace-exec";

const RULES_FILE = join(__dirname, "../../../monitoring/etcd-alerts.yml");
/** The `for:` of every rule in the test, instead of minutes. */
export const TEST_FOR = "6s";
const PORT = 19090;

/** An alert as Prometheus's /api/v1/alerts reports it. */
export interface ActiveAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly state: "pending" | "firing";
  readonly value: string;
}

/** The shipped rules with every `for:` shortened to TEST_FOR; nothing else changes. */
export function rulesWithShortWindows(): string {
  const rules = parse(readFileSync(RULES_FILE, "utf8")) as { groups: { rules: Record<string, unknown>[] }[] };
  for (const group of rules.groups) for (const rule of group.rules) if ("for" in rule) rule["for"] = TEST_FOR;
  return stringify(rules);
}

export class PrometheusServer {
  private readonly dir: string;
  private readonly child: ChildProcess;
  private readonly unregister: () => void;
  private readonly exited: Promise<void>;
  readonly url = `http://${HUB_CLIENT_IP}:${PORT}`;

  /** Starts Prometheus in `hubNamespace` with `scrapeConfig` (a `scrape_configs` document). */
  constructor(
    private readonly hubNamespace: string,
    scrapeConfig: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), "etcd-e2e-prometheus-"));
    writeFileSync(join(this.dir, "rules.yml"), rulesWithShortWindows());
    const scrape = parse(scrapeConfig) as { scrape_configs: Record<string, unknown>[] };
    // etcd every second; the member endpoint forks bash and openssl per request, which on a loaded
    // test machine can outlast a 1-second scrape timeout, so it gets 5 seconds.
    for (const job of scrape.scrape_configs) {
      const seconds = job["job_name"] === "etcd" ? "1s" : "5s";
      Object.assign(job, { scrape_interval: seconds, scrape_timeout: seconds });
    }
    writeFileSync(
      join(this.dir, "prometheus.yml"),
      stringify({ global: { scrape_interval: "1s", evaluation_interval: "1s" }, rule_files: ["rules.yml"], ...scrape }),
    );
    this.child = spawn(
      "ip",
      [
        "netns",
        "exec",
        hubNamespace,
        "prometheus",
        `--config.file=${join(this.dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(this.dir, "data")}`,
        `--web.listen-address=${HUB_CLIENT_IP}:${PORT}`,
        "--log.level=warn",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    this.child.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    this.exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
    this.unregister = onCleanup(() => {
      this.child.kill("SIGKILL");
      rmSync(this.dir, { recursive: true, force: true });
    });
    this.lastLog = () => log;
  }

  /** The tail of Prometheus's own log, for failure messages. */
  readonly lastLog: () => string;

  /** GET of an API path from the hub, where Prometheus listens; the parsed `data`. */
  private async api<T>(path: string): Promise<T> {
    const script = `fetch(${JSON.stringify(this.url + path)}).then((r) => r.text()).then((t) => process.stdout.write(t))`;
    const out = expectOk(await execInNamespace(this.hubNamespace, [process.execPath, "-e", script]), `GET ${path}`);
    const body = JSON.parse(out) as { status: string; data: T };
    if (body.status !== "success") throw new Error(`GET ${path}: ${out}`);
    return body.data;
  }

  /** The instant vector of a PromQL query: labels and value per series. */
  async query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const data = await this.api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`);
    return data.result;
  }

  /** Every pending or firing alert. */
  async alerts(): Promise<ActiveAlert[]> {
    return (await this.api<{ alerts: ActiveAlert[] }>("/api/v1/alerts")).alerts;
  }

  /** Polls `check` every second until it returns a value, at most `seconds`; throws with `what` otherwise. */
  async waitFor<T>(what: string, seconds: number, check: () => Promise<T | undefined>): Promise<T> {
    for (let attempt = 0; attempt < seconds; attempt++) {
      const found = await check().catch(() => undefined);
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`not within ${seconds} s: ${what}\nprometheus log:\n${this.lastLog()}`);
  }

  async stop(): Promise<void> {
    this.child.kill("SIGTERM");
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    this.unregister();
    this.child.kill("SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
  }
}
