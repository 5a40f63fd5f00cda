/**
 * A rolling upgrade between two real etcd releases, as `pulumi up` rolls a new `etcdVersion` out:
 * the dev stack's 3-member rendering runs on Debian's etcd 3.5.16; then, one member at a time in
 * member order, the member stops (SIGTERM, as its instance stops), starts again on the same data
 * with etcd 3.5.30, and the next member waits until this one passes the product's health gate
 * check (health-gate.ts `memberHealthCheckCommand`, run on the member's host) and the whole
 * cluster is healthy. A write load runs throughout; at the end every acknowledged write must be
 * on every member. etcd's own report of each member's release and of the cluster version is
 * printed at each step.
 *
 * Both releases run the same rendering (the newest pinned 3.5's config; 3.5.16 and 3.5.33 have the
 * same flags). No 3.6 binary is obtainable here: 3.5 → 3.6 is checked at the config and rule level
 * only (test/unit/etcd/etcd-config-keys.test.ts, test/unit/config/upgrade-rules.test.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { etcdBinaries } from "../../dev/local-cluster/etcd-binaries";
import type { EtcdMember } from "../../dev/local-cluster/etcd-member";
import { LocalCluster } from "../../dev/local-cluster/local-cluster";
import { execInNamespace, expectOk } from "../../dev/local-cluster/namespace-exec";
import { renderedBlueprint } from "../../dev/local-cluster/program-blueprint";
import { passHealthGate, setBootComplete } from "./support/member-health-gate";
import { WriteLoad } from "./support/write-load-runner";

const FROM = "3.5.16";
const TO = "3.5.30";
const WRITERS = 4;
/** Acknowledged writes to wait for before the first member and after each member's step. */
const WRITES_PER_STEP = 100;
/** Bounds of the polls below; bounds, never assertions on speed. */
const GATE_ATTEMPTS = 120;
const POLL_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What etcd reports on a member's `/version`: its own release and the cluster version. */
interface ReportedVersion {
  readonly etcdserver: string;
  readonly etcdcluster: string;
}

async function reportedVersion(cluster: LocalCluster, member: EtcdMember): Promise<ReportedVersion> {
  const { caFile, certFile, keyFile } = cluster.adminFiles;
  const curl = ["curl", "-sS", "--max-time", "5", "--cacert", caFile, "--cert", certFile, "--key", keyFile, `${member.clientUrl}/version`];
  return JSON.parse(expectOk(await execInNamespace(cluster.network.hubNamespace, curl), `GET /version of ${member.name}`)) as ReportedVersion;
}

/** One line per step: each member's release and the cluster version, as etcd reports them. */
async function versionLine(cluster: LocalCluster, step: string): Promise<{ line: string; servers: string[]; clusterVersions: Set<string> }> {
  const reports = await Promise.all(cluster.members.map((member) => reportedVersion(cluster, member)));
  const servers = reports.map((report) => report.etcdserver);
  const clusterVersions = new Set(reports.map((report) => report.etcdcluster));
  const members = cluster.members.map((member, index) => `${member.name} ${servers[index]}`).join(", ");
  return { line: `${step}: ${members}; cluster version ${[...clusterVersions].join("/")}`, servers, clusterVersions };
}

/** The keys under `prefix` in the member's own store (a serializable read), once it holds at least `count`. */
async function keysOnMember(cluster: LocalCluster, member: EtcdMember, prefix: string, count: number): Promise<Set<string>> {
  let keys = new Set<string>();
  for (let attempt = 1; attempt <= GATE_ATTEMPTS && keys.size < count; attempt++) {
    const out = expectOk(await cluster.etcdctl(["get", prefix, "--prefix", "--keys-only", "--consistency=s"], [member]), `keys on ${member.name}`);
    keys = new Set(out.split("\n").filter(Boolean));
    if (keys.size < count) await sleep(POLL_MS);
  }
  return keys;
}

describe(`rolling upgrade ${FROM} → ${TO} of a 3-member cluster under a write load, on real etcd`, () => {
  it("passes each member's health gate, loses no acknowledged write and leaves every key on every member", async () => {
    const from = etcdBinaries(FROM);
    const to = etcdBinaries(TO);
    const cluster = LocalCluster.create(await renderedBlueprint(3), "upgrade");
    const report: string[] = [];
    try {
      for (const member of cluster.members) member.start(from);
      await cluster.waitHealthy();
      for (const member of cluster.members) setBootComplete(member, true);
      const before = await versionLine(cluster, `all on ${FROM}`);
      report.push(before.line);
      assert.deepEqual(before.servers, [FROM, FROM, FROM]);

      const load = WriteLoad.start(cluster, "upgrade", WRITERS);
      await load.waitForAcknowledged(WRITES_PER_STEP);
      let acknowledgedSoFar = WRITES_PER_STEP;
      for (const [index, member] of cluster.members.entries()) {
        await member.stop("SIGTERM");
        setBootComplete(member, false);
        member.start(to);
        setBootComplete(member, true);
        const gateMs = await passHealthGate(member);
        await cluster.waitHealthy();
        const step = await versionLine(cluster, `step ${index + 1}: ${member.name} on ${TO}, gate passed after ${gateMs} ms`);
        report.push(step.line);
        assert.equal(step.servers[index], TO, `${member.name} runs ${TO}`);
        assert.equal(step.clusterVersions.size, 1, "every member reports one cluster version");
        acknowledgedSoFar += WRITES_PER_STEP;
        await load.waitForAcknowledged(acknowledgedSoFar);
      }
      const acknowledged = await load.stop();

      const after = await versionLine(cluster, `all on ${TO}`);
      assert.deepEqual(after.servers, [TO, TO, TO]);
      for (const member of cluster.members) {
        const found = await keysOnMember(cluster, member, "upgrade/", acknowledged.length);
        report.push(`${member.name}: ${acknowledged.length} acknowledged, ${found.size} found`);
        assert.deepEqual(
          acknowledged.filter((key) => !found.has(key)),
          [],
          `acknowledged writes missing on ${member.name}`,
        );
      }
    } finally {
      await cluster.destroy();
      console.log(`upgrade drill ${FROM} → ${TO}:\n  ${report.join("\n  ")}`);
    }
  });
});
