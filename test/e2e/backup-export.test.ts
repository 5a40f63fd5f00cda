/**
 * The logical backup on real etcd: `etcd-ops export` of a key prefix and `etcd-ops import` into
 * another cluster, run from a client host of the test network with the stack outputs' credentials.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runEtcdOps, writeStackOutputs } from "./backup-support/etcd-ops-runner";
import { fingerprint, seedKeys } from "./backup-support/keyspace";
import { LocalCluster } from "../../dev/local-cluster/local-cluster";
import { expectOk } from "../../dev/local-cluster/namespace-exec";
import { renderedBlueprint } from "../../dev/local-cluster/program-blueprint";
import { sharedCluster } from "./support/shared-cluster";

const ROUND_TRIP_KEYS = 10_000;
const DAMAGED_FILE_KEYS = 2_000;

describe("logical export and import with etcd-ops, on real etcd (3 members)", () => {
  const clusterOf = sharedCluster("ex", () => renderedBlueprint(3));
  let workDir: string;
  before(() => {
    workDir = mkdtempSync(join(tmpdir(), "etcd-e2e-ex-"));
  });
  after(() => rmSync(workDir, { recursive: true, force: true }));

  it("exports 10,000 keys and imports them into an empty cluster byte for byte", async () => {
    const source = clusterOf();
    await seedKeys(source, "export/", ROUND_TRIP_KEYS);
    const expected = await fingerprint(source, "export/");
    const file = join(workDir, "round-trip.json");
    const exported = await runEtcdOps(source, writeStackOutputs(source, workDir), ["export", "--prefix", "export/", "--out", file]);
    assert.ok(exported.ok, exported.stderr);
    assert.match(exported.stderr, /^export: 1000 keys/m, "no progress lines");

    const target = LocalCluster.create(source.blueprint, "im");
    try {
      target.startAll();
      await target.waitHealthy();
      const imported = await runEtcdOps(target, writeStackOutputs(target, workDir), ["import", "--in", file]);
      assert.ok(imported.ok, imported.stderr);
      const actual = await fingerprint(target, "export/");
      assert.equal(actual.count, ROUND_TRIP_KEYS);
      assert.deepEqual(actual, expected);
      console.log(`${exported.stdout.trim()}; file ${statSync(file).size} bytes`);
      console.log(imported.stdout.trim());
    } finally {
      await target.destroy();
    }
  });

  it("refuses a corrupt or truncated export file with a clear error and writes nothing", async () => {
    const cluster = clusterOf();
    const outputs = writeStackOutputs(cluster, workDir);
    await seedKeys(cluster, "fragile/", DAMAGED_FILE_KEYS);
    const file = join(workDir, "fragile.json");
    expectOk(await runEtcdOps(cluster, outputs, ["export", "--prefix", "fragile/", "--out", file]), "export");
    expectOk(await cluster.etcdctl(["del", "fragile/", "--prefix"]), "emptying the prefix");
    const lines = readFileSync(file, "utf8").split("\n");
    const damaged = {
      // One value byte changed: still well-formed JSON and base64, only the checksum can tell.
      corrupt: [lines[0], lines[1].replace(/"value":"(.)/, (_, first: string) => `"value":"${first === "A" ? "B" : "A"}`), ...lines.slice(2)],
      truncatedAtLine: lines.slice(0, Math.floor(lines.length / 2)),
      truncatedMidLine: [...lines.slice(0, 10), lines[10].slice(0, 20)],
    };
    const reasons = {
      corrupt: /checksum mismatch: the file states \w+, its content hashes to \w+/,
      truncatedAtLine: /truncated: the file ends after \d+ keys/,
      truncatedMidLine: /line 11: is not valid JSON/,
    };

    for (const [kind, content] of Object.entries(damaged) as [keyof typeof damaged, string[]][]) {
      const damagedFile = join(workDir, `${kind}.json`);
      writeFileSync(damagedFile, content.join("\n"));
      const result = await runEtcdOps(cluster, outputs, ["import", "--in", damagedFile]);
      assert.equal(result.ok, false, `the ${kind} file was imported`);
      assert.match(result.stderr, reasons[kind]);
      assert.equal((await fingerprint(cluster, "fragile/")).count, 0, `the ${kind} file wrote keys`);
    }
    const intact = await runEtcdOps(cluster, outputs, ["import", "--in", file]);
    assert.ok(intact.ok, intact.stderr);
    assert.equal((await fingerprint(cluster, "fragile/")).count, DAMAGED_FILE_KEYS);
  });

  it("refuses to import into a prefix that already holds keys, unless --force", async () => {
    const cluster = clusterOf();
    const outputs = writeStackOutputs(cluster, workDir);
    await seedKeys(cluster, "occupied/", 10);
    const file = join(workDir, "occupied.json");
    expectOk(await runEtcdOps(cluster, outputs, ["export", "--prefix", "occupied/", "--out", file]), "export");

    const refused = await runEtcdOps(cluster, outputs, ["import", "--in", file]);
    const forced = await runEtcdOps(cluster, outputs, ["import", "--in", file, "--force"]);

    assert.equal(refused.ok, false);
    assert.match(refused.stderr, /refused: prefix "occupied\/" already holds 10 keys in the target cluster/);
    assert.ok(forced.ok, forced.stderr);
    assert.match(forced.stdout, /imported 10 keys/);
  });
});
