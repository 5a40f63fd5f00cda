/**
 * Drills on a healthy cluster's core promises: every member serves, data written anywhere is
 * read everywhere, the WAL is on its own directory, the cluster survives exactly (N-1)/2 lost
 * members and refuses writes beyond that, and a crash of every member loses no acknowledged write.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { it } from "node:test";
import { faultTolerance } from "../../../src/core/etcd/topology";
import type { EtcdMember } from "../../../dev/local-cluster/etcd-member";
import { currentLeader } from "../support/leader";
import type { LocalCluster } from "../../../dev/local-cluster/local-cluster";
import type { ClusterOfSuite } from "../support/shared-cluster";
import { WriteLoad } from "../support/write-load-runner";

/** Bound of the wait for a write after the leader was lost (a new election). */
const FAILOVER_WITHIN_MS = 30_000;
/**
 * Per-attempt bound of the writes probing for a new leader: a put proposed while there is none is
 * dropped and only fails at its timeout, so this is the resolution of the failover figure.
 */
const FAILOVER_PROBE_TIMEOUT_MS = 250;
/** Writes acknowledged before every member is killed: enough that many are in flight at the kill. */
const ACKNOWLEDGED_BEFORE_CRASH = 300;
const CONCURRENT_WRITERS = 8;

/** Puts `count` keys `<prefix>/<i>`, each through the next member in turn; returns the keys. */
async function writeKeys(cluster: LocalCluster, prefix: string, count: number, via: readonly EtcdMember[]): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, index) => `${prefix}/${index}`);
  for (const [index, key] of keys.entries()) await cluster.put(key, key, via[index % via.length]);
  return keys;
}

/** Retries a put through `via` until it is accepted; returns when it was. */
async function putEventually(cluster: LocalCluster, key: string, via: readonly EtcdMember[]): Promise<number> {
  const started = Date.now();
  while (!(await cluster.etcdctl(["put", key, key], via, FAILOVER_PROBE_TIMEOUT_MS)).ok) {
    if (Date.now() - started > FAILOVER_WITHIN_MS) throw new Error(`no write accepted within ${FAILOVER_WITHIN_MS} ms`);
  }
  return Date.now();
}

/** Keys under `prefix` as one member sees them (a linearizable read through that member). */
async function keysVia(cluster: LocalCluster, prefix: string, member: EtcdMember): Promise<string[]> {
  const result = await cluster.etcdctl(["get", prefix, "--prefix", "--keys-only"], [member]);
  assert.ok(result.ok, `read through ${member.name}: ${result.stderr}`);
  return result.stdout.split("\n").filter(Boolean).sort();
}

/** Every file and directory below `dir`, as paths relative to it. */
function entriesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" });
}

export function availabilityDrills(clusterOf: ClusterOfSuite): void {
  it("reports every member healthy to `endpoint health --cluster` with the admin certificate", async () => {
    const cluster = clusterOf();
    const result = await cluster.etcdctl(["endpoint", "health", "--cluster", "-w", "json"]);
    assert.ok(result.ok, result.stderr);
    const health = (JSON.parse(result.stdout) as { endpoint: string; health: boolean }[])
      .map((entry) => `${entry.endpoint} ${entry.health ? "healthy" : "unhealthy"}`)
      .sort();
    assert.deepEqual(
      health,
      cluster
        .endpoints()
        .map((endpoint) => `${endpoint} healthy`)
        .sort(),
    );
  });

  it("has members accept each other's peer certificates, serving and dialling (no peer TLS error logged)", () => {
    const cluster = clusterOf();
    const memberAddresses = cluster.members.map((member) => `"remote-addr":"${member.ip}:`);
    for (const member of cluster.members) {
      const peerTlsErrors = member
        .log()
        .split("\n")
        .filter(
          (line) =>
            (line.includes('"caller":"rafthttp/') && /certificate|tls:/.test(line)) ||
            (line.includes("rejected connection on peer endpoint") && memberAddresses.some((address) => line.includes(address))),
        );
      assert.deepEqual(peerTlsErrors, [], `${member.name} logged peer TLS errors`);
    }
  });

  it("reads back through every member what was written through each other member", async () => {
    const cluster = clusterOf();
    for (const writer of cluster.members) {
      const key = `read-back/${writer.name}`;
      await cluster.put(key, `written through ${writer.name}`, writer);
      for (const reader of cluster.members.filter((member) => member !== writer)) {
        assert.equal(await cluster.get(key, reader), `written through ${writer.name}`, `${key} read through ${reader.name}`);
      }
    }
  });

  it("keeps the WAL in the WAL directory, none of it under the data directory", () => {
    for (const member of clusterOf().members) {
      assert.ok(relative(member.dataDir, member.walDir).startsWith(".."), `${member.name}: wal-dir inside data-dir`);
      assert.ok(
        entriesUnder(member.walDir).some((entry) => entry.endsWith(".wal")),
        `${member.name}: no .wal file in ${member.walDir}`,
      );
      const dataEntries = entriesUnder(member.dataDir);
      const walLike = dataEntries.filter((entry) => entry.endsWith(".wal") || entry.split("/").includes("wal"));
      assert.deepEqual(walLike, [], `${member.name}: WAL under data-dir ${member.dataDir}`);
      assert.ok(dataEntries.includes(join("member", "snap", "db")), `${member.name}: no backend db in ${member.dataDir}`);
    }
  });

  it("takes writes with (N-1)/2 members lost, the leader among them, stops at one more, and recovers every key", async () => {
    const cluster = clusterOf();
    const tolerance = faultTolerance(cluster.members.length);
    const written = await writeKeys(cluster, "quorum/before", 10, cluster.members);
    const leader = await currentLeader(cluster);
    const lost = [leader, ...cluster.members.filter((member) => member !== leader).slice(0, tolerance - 1)];
    const survivors = cluster.members.filter((member) => !lost.includes(member));

    const killedAt = Date.now();
    await cluster.stop(lost, "SIGKILL");
    const acceptedAt = await putEventually(cluster, "quorum/during/first", survivors);
    console.log(`${cluster.members.length} members, ${lost.length} lost (leader ${leader.name}): writes accepted again after ${acceptedAt - killedAt} ms`);
    written.push("quorum/during/first", ...(await writeKeys(cluster, "quorum/during", 10, survivors)));

    const [oneMore, ...minority] = survivors;
    await cluster.stop([oneMore], "SIGKILL");
    const refused = await Promise.all(minority.map((member) => cluster.etcdctl(["put", "quorum/no-majority", "x"], [member])));
    assert.deepEqual(
      refused.map((result) => result.ok),
      minority.map(() => false),
      "a minority accepted a write",
    );
    const read = await cluster.etcdctl(["get", "quorum/before/0"], minority);
    assert.equal(read.ok, false, "a minority served a linearizable read");

    cluster.startAll();
    console.log(`quorum restored: all healthy ${await cluster.waitHealthy()} ms after the restart`);
    for (const member of cluster.members) {
      const found = await keysVia(cluster, "quorum/", member);
      assert.deepEqual(
        written.filter((key) => !found.includes(key)),
        [],
        `keys missing through ${member.name}`,
      );
    }
  });

  it("loses no acknowledged write when every member is killed with SIGKILL under a write load", async () => {
    const cluster = clusterOf();
    const load = WriteLoad.start(cluster, "crash", CONCURRENT_WRITERS);
    await load.waitForAcknowledged(ACKNOWLEDGED_BEFORE_CRASH);
    await cluster.stop(cluster.members, "SIGKILL");
    const acknowledged = await load.stop();

    cluster.startAll();
    const elapsed = await cluster.waitHealthy();
    const found = await cluster.keys("crash/");
    const missing = acknowledged.filter((key) => !found.has(key));
    console.log(
      `kill -9 of all ${cluster.members.length} members under load: ${acknowledged.length} writes acknowledged, ` +
        `${found.size} found after the restart (${missing.length} missing), healthy again after ${elapsed} ms`,
    );
    assert.ok(acknowledged.length >= ACKNOWLEDGED_BEFORE_CRASH);
    assert.deepEqual(missing, []);
  });
}
