/**
 * The shipped alert rules on a real Prometheus against the rendered dev stack booted as real etcd
 * (3 members, one network namespace each; Prometheus in the hub namespace). The scrape config is
 * what `etcd-ops scrape-config` renders from the stack outputs; the member metrics endpoints run the
 * installed script. Test-only changes: every `for:` is 6 s, evaluations and etcd's scrapes run every
 * second, and the stack's quota is 32 MiB (`tuning.quotaBackendGiB`), so it fills in seconds.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { etcdBinaries, repoPath } from "../../dev/local-cluster/etcd-binaries";
import { tlsFlags } from "../../dev/local-cluster/etcdctl";
import { execInNamespace, expectOk } from "../../dev/local-cluster/namespace-exec";
import { renderedStack } from "../../dev/local-cluster/program-blueprint";
import { startMemberMetricsEndpoint } from "./monitoring-support/member-endpoint";
import { PrometheusServer, TEST_FOR, type ActiveAlert } from "./monitoring-support/prometheus";
import { sharedCluster } from "./support/shared-cluster";

const QUOTA_BYTES = 32 * 1024 * 1024;
/** Bound of every wait for Prometheus to see a change: scrape, rule evaluation and `for:` take seconds. */
const ALERT_WITHIN_SECONDS = 60;

function firing(alerts: readonly ActiveAlert[], name: string): ActiveAlert[] {
  return alerts.filter((alert) => alert.labels["alertname"] === name && alert.state === "firing");
}

describe("Prometheus alert rules against real etcd (3 members)", () => {
  let outputsJson = "";
  const clusterOf = sharedCluster("pm", async () => {
    const stack = await renderedStack({ members: 3, tuning: { quotaBackendGiB: QUOTA_BYTES / 1024 ** 3 } });
    outputsJson = stack.outputsJson;
    return stack.blueprint;
  });
  let prometheus: PrometheusServer;
  let stopEndpoints: (() => void)[] = [];
  let workDir: string;

  before(async () => {
    const cluster = clusterOf();
    workDir = mkdtempSync(join(tmpdir(), "etcd-e2e-pm-"));
    const outputsFile = join(workDir, "outputs.json");
    writeFileSync(outputsFile, outputsJson, { mode: 0o600 });
    const scrapeConfig = expectOk(
      await execInNamespace(cluster.network.hubNamespace, [
        process.execPath,
        "--import",
        "tsx",
        repoPath("ops/etcd-ops/main.ts"),
        "scrape-config",
        "--outputs",
        outputsFile,
      ]),
      "etcd-ops scrape-config",
    );
    stopEndpoints = cluster.members.map((member) => startMemberMetricsEndpoint(cluster.blueprint, member));
    prometheus = new PrometheusServer(cluster.network.hubNamespace, scrapeConfig);
  });
  after(async () => {
    await prometheus?.stop();
    for (const stop of stopEndpoints) stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("scrapes etcd and the member metrics of every member, and fires nothing while all is well", async () => {
    const up = await prometheus.waitFor("all 6 targets up", ALERT_WITHIN_SECONDS, async () => {
      const series = await prometheus.query("up");
      return series.length === 6 && series.every((entry) => entry.value[1] === "1") ? series : undefined;
    });
    assert.deepEqual(up.map((entry) => `${entry.metric["job"]} ${entry.metric["member"]} ${entry.metric["cluster"]}`).sort(), [
      "etcd etcd-dev-0 etcd-dev",
      "etcd etcd-dev-1 etcd-dev",
      "etcd etcd-dev-2 etcd-dev",
      "etcd-member etcd-dev-0 etcd-dev",
      "etcd-member etcd-dev-1 etcd-dev",
      "etcd-member etcd-dev-2 etcd-dev",
    ]);
    // The member endpoint's certificate metrics are the real certificates' expiry.
    const expiries = await prometheus.query('etcd_certificate_expiry_timestamp_seconds{member="etcd-dev-0"}');
    assert.deepEqual(expiries.map((entry) => entry.metric["certificate"]).sort(), ["ca", "peer", "server"]);
    // Several evaluations with short `for:` windows: any rule that misreads real metrics would fire.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    assert.deepEqual(
      (await prometheus.alerts()).map((alert) => alert.labels["alertname"]),
      [],
    );
  });

  it("fires EtcdMembersDown when a member is killed", async () => {
    const cluster = clusterOf();
    const started = Date.now();
    await cluster.stop([cluster.member(2)], "SIGKILL");
    const [alert] = await prometheus.waitFor("EtcdMembersDown firing", ALERT_WITHIN_SECONDS, async () => {
      const found = firing(await prometheus.alerts(), "EtcdMembersDown");
      return found.length > 0 ? found : undefined;
    });
    console.log(`EtcdMembersDown firing ${Date.now() - started} ms after the kill (for: ${TEST_FOR}, 1 s scrapes)`);
    assert.deepEqual(alert?.labels, { alertname: "EtcdMembersDown", cluster: "etcd-dev", severity: "critical" });
    assert.equal(Number(alert?.value), 1);
    assert.deepEqual(firing(await prometheus.alerts(), "EtcdInsufficientMembers"), [], "one of three down keeps the quorum");
  });

  it("fires EtcdDatabaseQuotaLowSpace when the database fills its quota", async () => {
    const cluster = clusterOf();
    assert.equal(Number((await prometheus.query('etcd_server_quota_backend_bytes{member="etcd-dev-0"}'))[0]?.value[1]), QUOTA_BYTES);
    // 1 MiB values until etcd refuses one: "etcdserver: mvcc: database space exceeded" (NOSPACE).
    const etcdctl = [etcdBinaries().etcdctl, `--endpoints=${cluster.endpoints().join(",")}`, ...tlsFlags(cluster.adminFiles)].join(" ");
    const fill = `for i in $(seq 1 64); do
  if ! out=$(head -c 1048576 /dev/zero | ${etcdctl} put "fill/$i" 2>&1); then echo "$out"; exit 0; fi
done
echo "quota never reached"; exit 1`;
    const refused = expectOk(await execInNamespace(cluster.network.hubNamespace, ["bash", "-c", fill]), "filling the quota");
    assert.match(refused, /database space exceeded/);
    const usage = async () =>
      (await prometheus.query("100 * etcd_mvcc_db_total_size_in_bytes / etcd_server_quota_backend_bytes"))
        .map((entry) => `${entry.metric["member"]} ${Number(entry.value[1]).toFixed(1)} %`)
        .join(", ");
    console.log(`database use of the quota once etcd refused a write: ${await usage()}`);
    const alerts = await prometheus
      .waitFor("EtcdDatabaseQuotaLowSpace firing", ALERT_WITHIN_SECONDS, async () => {
        const found = firing(await prometheus.alerts(), "EtcdDatabaseQuotaLowSpace");
        return found.length > 0 ? found : undefined;
      })
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}\nuse of the quota: ${await usage()}`);
      });
    for (const alert of alerts) {
      assert.equal(alert.labels["severity"], "critical");
      assert.ok(Number(alert.value) > 95, `${alert.labels["member"]}: ${alert.value} %`);
    }
    console.log(`quota alert values: ${alerts.map((alert) => `${alert.labels["member"]} ${Number(alert.value).toFixed(1)} %`).join(", ")}`);
  });
});
