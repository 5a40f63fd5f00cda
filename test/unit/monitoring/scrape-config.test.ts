import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { renderScrapeConfig } from "../../../ops/etcd-ops/scrape-config";
import { toolAvailable } from "../../support/linters";

const RULES_FILE = join(__dirname, "../../../monitoring/etcd-alerts.yml");
const TARGETS = {
  clusterName: "etcd-prod",
  members: [
    { name: "etcd-prod-0", privateIp: "10.0.1.10" },
    { name: "etcd-prod-1", privateIp: "10.0.2.10" },
    { name: "etcd-prod-2", privateIp: "10.0.3.10" },
  ],
};
const rendered = parse(renderScrapeConfig(TARGETS)) as {
  scrape_configs: { job_name: string; scheme: string; static_configs: { targets: string[]; labels: Record<string, string> }[] }[];
};

describe("renderScrapeConfig", () => {
  it("scrapes etcd's metrics on 2381 and the member metrics on 2382, over plain HTTP, per member", () => {
    assert.deepEqual(
      rendered.scrape_configs.map((job) => [job.job_name, job.scheme, job.static_configs.map((config) => config.targets[0])]),
      [
        ["etcd", "http", ["10.0.1.10:2381", "10.0.2.10:2381", "10.0.3.10:2381"]],
        ["etcd-member", "http", ["10.0.1.10:2382", "10.0.2.10:2382", "10.0.3.10:2382"]],
      ],
    );
  });

  it("labels every target with its cluster and member, which the alerts report", () => {
    for (const job of rendered.scrape_configs) {
      assert.deepEqual(
        job.static_configs.map((config) => config.labels),
        TARGETS.members.map((member) => ({ cluster: "etcd-prod", member: member.name })),
      );
    }
  });

  it("makes with the shipped rules a configuration promtool accepts", (t) => {
    if (!toolAvailable(t, "promtool")) return;
    const dir = mkdtempSync(join(tmpdir(), "etcd-scrape-config-"));
    try {
      const config = join(dir, "prometheus.yml");
      writeFileSync(config, stringify({ global: { evaluation_interval: "30s" }, rule_files: [RULES_FILE], ...rendered }));
      const check = spawnSync("promtool", ["check", "config", config], { encoding: "utf8" });
      assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
