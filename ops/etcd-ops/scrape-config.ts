/**
 * `etcd-ops scrape-config`: the Prometheus `scrape_configs` for a cluster, from its stack outputs
 * (`clusterName`, `members`). Two jobs, named as monitoring/etcd-alerts.yml selects them:
 * - `etcd`: etcd's own /metrics on port 2381 (`listen-metrics-urls`, plain HTTP: the security
 *   group admits it only from `monitoringCidrs`, and it serves nothing but /metrics and /health);
 * - `etcd-member`: the member's backup and certificate metrics on port 2382 (member-metrics.sh).
 * Every target is labelled `cluster` and `member`, which the alerts aggregate and report by.
 */
import { readFileSync } from "node:fs";
import { stringify } from "yaml";
import { ETCD_PORTS } from "../../src/core/member/ports-and-paths";

/** The job names the alert rules select (`job="etcd"`, `job="etcd-member"`). */
export const SCRAPE_JOBS = { etcd: "etcd", member: "etcd-member" } as const;

/** What the scrape config is made of: the stack outputs `clusterName` and `members`. */
export interface ScrapeTargets {
  readonly clusterName: string;
  readonly members: readonly { readonly name: string; readonly privateIp: string }[];
}

/** Reads the targets from `pulumi stack output --json` (no secret needed). */
export function scrapeTargetsFromOutputs(outputsFile: string): ScrapeTargets {
  const outputs = JSON.parse(readFileSync(outputsFile, "utf8")) as Partial<ScrapeTargets>;
  if (typeof outputs.clusterName !== "string" || !Array.isArray(outputs.members)) {
    throw new Error(`${outputsFile} has no clusterName and members outputs: write it with \`pulumi stack output --json\``);
  }
  return { clusterName: outputs.clusterName, members: outputs.members };
}

/**
 * The two jobs as a `scrape_configs` document. Paste it into prometheus.yml, or for several
 * clusters add each cluster's `static_configs` entries under the same two jobs (the `cluster` label
 * keeps them apart). `interval` is Prometheus's scrape_interval for both jobs.
 */
export function renderScrapeConfig(targets: ScrapeTargets, interval = "15s"): string {
  const job = (name: string, port: number) => ({
    job_name: name,
    scheme: "http",
    metrics_path: "/metrics",
    scrape_interval: interval,
    static_configs: targets.members.map((member) => ({
      targets: [`${member.privateIp}:${port}`],
      labels: { cluster: targets.clusterName, member: member.name },
    })),
  });
  return stringify({ scrape_configs: [job(SCRAPE_JOBS.etcd, ETCD_PORTS.metrics), job(SCRAPE_JOBS.member, ETCD_PORTS.memberMetrics)] });
}
