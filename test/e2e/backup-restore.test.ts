/**
 * Backups and restore on real etcd, through the scripts the program installs on members: the
 * backup script of every member against a 3-member cluster as the dev stack renders it, the restore
 * script of the dev stack rendered with `restore.snapshotUri` on the members of a fresh cluster from
 * that same rendering. Only host paths are mapped (host-paths.ts) and, for the restore, the owner
 * of the restored directories (member-scripts.ts); the AWS CLI is a stub keeping S3 objects in a
 * directory (dev/member-host/aws-cli-stub.sh); nothing else is substituted.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { snapshotKeyPrefix } from "../../src/core/member/scripts/backup-script";
import { RESTORE_REVISION_BUMP } from "../../src/core/member/scripts/restore-script";
import { runEtcdOps, writeStackOutputs } from "./backup-support/etcd-ops-runner";
import { currentRevision, fingerprint, seedKeys } from "./backup-support/keyspace";
import { StubS3, mappedMounts, mappedRestoreMarker, runBackupScript, runRestoreScript } from "./backup-support/member-scripts";
import { etcdutlStatus, objectMetadata, snapshotObjects } from "./backup-support/snapshot-objects";
import { currentLeader } from "./support/leader";
import { LocalCluster } from "../../dev/local-cluster/local-cluster";
import type { ClusterBlueprint } from "../../dev/local-cluster/blueprint";
import type { EtcdMember } from "../../dev/local-cluster/etcd-member";
import { renderedStack } from "../../dev/local-cluster/program-blueprint";
import { sharedCluster } from "./support/shared-cluster";

/** The dev stack's cluster name, and so its snapshot prefix. */
const CLUSTER_NAME = "etcd-dev";
const SEEDED_KEYS = 5000;
/** Name of the object the restored stack is configured with, under the cluster's snapshot prefix. */
const RESTORE_OBJECT = "restore-e2e.db";

/**
 * Runs the backup script on every member, as every member's timer would. Returns the objects the
 * runs report uploaded (their `OK s3://…` lines) and each member's log line.
 */
async function backupOnEveryMember(cluster: LocalCluster, s3: StubS3, bucket: string): Promise<{ uploaded: string[]; logs: string[] }> {
  const logs: string[] = [];
  for (const member of cluster.members) {
    const result = await runBackupScript(cluster.blueprint, member, s3);
    assert.ok(result.ok, `backup script on ${member.name} failed:\n${result.stderr}`);
    logs.push(result.stdout.trim());
  }
  const uploaded = logs.flatMap((log) => /^etcd-backup: OK (s3:\/\/\S+)/.exec(log)?.[1] ?? []);
  for (const uri of uploaded) assert.ok(snapshotObjects(s3, bucket, CLUSTER_NAME).includes(uri), `${uri} was reported, not stored`);
  return { uploaded, logs };
}

/** Everything under a directory, or [] when it does not exist: what a refused restore must leave. */
function entriesOf(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** A fresh cluster of the restored stack, laid out but not started; destroyed after `body`. */
async function withFreshCluster(blueprint: ClusterBlueprint, label: string, body: (fresh: LocalCluster) => Promise<void>): Promise<void> {
  const fresh = LocalCluster.create(blueprint, label);
  try {
    await body(fresh);
  } finally {
    await fresh.destroy();
  }
}

describe("backups and restore with the installed scripts, on real etcd (3 members)", () => {
  let bucket = "";
  const clusterOf = sharedCluster("bk", async () => {
    const stack = await renderedStack({ members: 3 });
    bucket = stack.backupBucket;
    return stack.blueprint;
  });
  let s3: StubS3;
  let workDir: string;
  /** The object the restored stack restores from. */
  let restoreUri: string;
  /** The dev stack restoring from restoreUri, pinned (restore.snapshotSha256) to `content`. */
  const restoredStack = async (content: Buffer): Promise<ClusterBlueprint> => {
    const snapshotSha256 = createHash("sha256").update(content).digest("hex");
    return (await renderedStack({ members: 3, restore: { snapshotUri: restoreUri, snapshotSha256 } })).blueprint;
  };
  before(() => {
    s3 = new StubS3();
    workDir = mkdtempSync(join(tmpdir(), "etcd-e2e-bk-"));
    restoreUri = `s3://${bucket}/${snapshotKeyPrefix(CLUSTER_NAME)}${RESTORE_OBJECT}`;
  });
  after(() => {
    s3.destroy();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("takes one snapshot per run, on the leader only, that etcdutl accepts, with its checksum and revision", async () => {
    const cluster = clusterOf();
    await seedKeys(cluster, "backup/", SEEDED_KEYS);
    const leader = await currentLeader(cluster);
    const objectsBefore = snapshotObjects(s3, bucket, CLUSTER_NAME);
    const metricsBefore = s3.publishedMetrics().length;
    const started = Date.now();
    const { uploaded, logs } = await backupOnEveryMember(cluster, s3, bucket);
    const elapsed = Date.now() - started;

    assert.equal(uploaded.length, 1, `expected one snapshot, got ${uploaded.join(", ")}`);
    const [uri] = uploaded;
    assert.deepEqual(snapshotObjects(s3, bucket, CLUSTER_NAME), [...objectsBefore, uri].sort());
    assert.match(uri, new RegExp(`^s3://${bucket}/${CLUSTER_NAME}/snapshots/\\d{8}T\\d{6}Z-rev\\d+-${leader.name}\\.db$`));
    for (const [index, log] of logs.entries()) {
      const member = cluster.member(index);
      assert.match(log, member === leader ? /^etcd-backup: OK s3:\/\// : /^etcd-backup: skipped: .* is not the leader/);
    }
    const file = s3.objectFile(uri);
    const status = etcdutlStatus(file);
    const metadata = objectMetadata(s3, uri);
    assert.ok(status.totalKey >= SEEDED_KEYS, `snapshot holds ${status.totalKey} keys`);
    assert.equal(metadata["revision"], String(status.revision));
    assert.ok(uri.includes(`-rev${status.revision}-`));
    assert.equal(metadata["sha256"], createHash("sha256").update(readFileSync(file)).digest("hex"));
    assert.match(metadata["etcd-version"] ?? "", /^3\.5\.\d+$/);
    // The freshness alarm's data point, and the member's Prometheus metrics of that snapshot.
    assert.deepEqual(s3.publishedMetrics().slice(metricsBefore), [`etcd/${CLUSTER_NAME} BackupSucceeded 1 Count`]);
    const recorded = readFileSync(join(mappedMounts(leader).data, "etcd-metrics/backup.prom"), "utf8");
    assert.match(recorded, /^etcd_backup_last_success_timestamp_seconds \d{10}$/m);
    assert.match(recorded, new RegExp(`^etcd_backup_last_revision ${status.revision}$`, "m"));
    assert.match(recorded, new RegExp(`^etcd_backup_last_size_bytes ${statSync(file).size}$`, "m"));
    console.log(
      `snapshot: ${statSync(file).size} bytes, revision ${status.revision}, ${status.totalKey} keys; ` +
        `backup script on ${cluster.members.length} members took ${elapsed} ms`,
    );
  });

  it("takes no snapshot where it would leave etcd no room to grow to its quota, and writes nothing", async () => {
    const cluster = clusterOf();
    const leader = await currentLeader(cluster);
    // The leader's scratch directory on a 64 MiB volume of its own: the snapshot fits, the quota
    // (8 GiB, half the dev stack's data volume) does not.
    const scratch = join(mappedMounts(leader).data, "etcd-backup");
    mkdirSync(scratch, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", scratch]);
    try {
      const objectsBefore = snapshotObjects(s3, bucket, CLUSTER_NAME);
      const result = await runBackupScript(cluster.blueprint, leader, s3);
      console.log(result.stderr.trim());
      assert.equal(result.ok, false, `the backup ran:\n${result.stdout}`);
      assert.match(
        result.stderr,
        new RegExp(
          `^etcd-backup: FAILED: no snapshot taken on ${leader.name}: \\S+ has 67108864 bytes free; the snapshot needs \\d+ \\(the database's size\\) and etcd the room to grow to its quota \\(8589934592\\)`,
          "m",
        ),
      );
      assert.deepEqual(readdirSync(scratch), []);
      assert.deepEqual(snapshotObjects(s3, bucket, CLUSTER_NAME), objectsBefore);
    } finally {
      execFileSync("umount", [scratch]);
    }
  });

  it("restores every key into a fresh 3-member cluster through the installed restore script", async () => {
    const cluster = clusterOf();
    await seedKeys(cluster, "restore/", SEEDED_KEYS);
    const expected = await fingerprint(cluster, "");
    const { uploaded } = await backupOnEveryMember(cluster, s3, bucket);
    assert.equal(uploaded.length, 1);
    s3.copyObject(uploaded[0], restoreUri);
    const restored = await restoredStack(readFileSync(s3.objectFile(restoreUri)));

    await withFreshCluster(restored, "rs", async (fresh) => {
      const started = Date.now();
      for (const member of fresh.members) {
        const result = await runRestoreScript(restored, member, s3);
        assert.ok(result.ok, `restore on ${member.name} failed:\n${result.stderr}`);
        assert.match(result.stdout, /^etcd-restore: OK /);
      }
      const restoredIn = Date.now() - started;
      fresh.startAll();
      const healthyIn = await fresh.waitHealthy();

      const restoredKeys = await fingerprint(fresh, "");
      assert.deepEqual(restoredKeys, expected);
      assert.ok((await currentRevision(fresh)) > RESTORE_REVISION_BUMP, "the restore bumps the revision past the source's");
      console.log(
        `restore: snapshot ${statSync(s3.objectFile(uploaded[0])).size} bytes, ${restoredKeys.count} keys, checksum ${restoredKeys.sha256.slice(0, 16)}…; ` +
          `restore scripts ${restoredIn} ms, cluster healthy ${healthyIn} ms after start`,
      );

      const again = await runRestoreScript(restored, fresh.member(0), s3);
      assert.ok(again.ok);
      assert.match(again.stdout, /nothing to do: .* was restored from s3:\/\/.* on an earlier boot/);
    });
  });

  it("refuses to restore over a member that has data, and touches nothing", async () => {
    const cluster = clusterOf();
    const member = cluster.member(0);
    const { uploaded } = await backupOnEveryMember(cluster, s3, bucket);
    s3.copyObject(uploaded[0], restoreUri);
    const dataBefore = entriesOf(member.dataDir);

    const result = await runRestoreScript(await restoredStack(readFileSync(s3.objectFile(restoreUri))), member, s3);

    assert.equal(result.ok, false);
    assert.match(result.stderr, /etcd-restore: FAILED: refusing to restore s3:\/\/.* on etcd-dev-0: .* already holds data/);
    assert.deepEqual(entriesOf(member.dataDir), dataBefore);
    assert.equal(existsSync(mappedRestoreMarker(member)), false);
    assert.deepEqual(
      entriesOf(mappedMounts(member).data).filter((name) => name.startsWith("etcd-restore")),
      [],
    );
  });

  it("refuses a corrupt or a truncated snapshot with a clear error and writes nothing", async () => {
    const cluster = clusterOf();
    const { uploaded } = await backupOnEveryMember(cluster, s3, bucket);
    const good = readFileSync(s3.objectFile(uploaded[0]));
    const corrupt = Buffer.from(good);
    corrupt[Math.floor(corrupt.length / 2)] ^= 0xff;
    const truncated = good.subarray(0, Math.floor(good.length / 2));

    await withFreshCluster(await restoredStack(good), "rc", async (fresh) => {
      const member = fresh.member(0);
      for (const [what, content, reason] of [
        ["corrupt", corrupt, /is corrupt: its content hashes to \w+, its integrity hash says \w+/],
        ["truncated", truncated, /lacks etcd's integrity hash: truncated/],
      ] as const) {
        s3.putObject(restoreUri, content);
        // Pinned to these very bytes: etcd's own integrity check is what refuses them.
        const result = await runRestoreScript(await restoredStack(content), member, s3);
        const uri = `${restoreUri} (${what})`;
        assert.equal(result.ok, false, `restore of ${uri} succeeded`);
        assert.match(result.stderr, reason);
        assert.deepEqual(entriesOf(member.dataDir), [], `${uri} left data behind`);
        assert.equal(existsSync(member.walDir), false, `${uri} left a WAL behind`);
        assert.equal(existsSync(mappedRestoreMarker(member)), false);
      }
    });
  });

  it("takes no snapshot from a member that is not healthy: neither the script nor etcd-ops", async () => {
    const cluster = clusterOf();
    const outputs = writeStackOutputs(cluster, workDir);
    const [survivor, ...lost] = cluster.members as EtcdMember[];
    await cluster.stop(lost, "SIGKILL");
    const before = snapshotObjects(s3, bucket, CLUSTER_NAME);
    const out = join(workDir, "refused.db");

    // Each check waits out one request timeout (5 s) on the survivor; they run side by side.
    const [script, named, leader, health] = await Promise.all([
      runBackupScript(cluster.blueprint, survivor, s3),
      runEtcdOps(cluster, outputs, ["snapshot", "--out", out, "--member", survivor.clientUrl]),
      runEtcdOps(cluster, outputs, ["snapshot", "--out", out]),
      runEtcdOps(cluster, outputs, ["health"]),
    ]);

    assert.equal(script.ok, false);
    assert.match(script.stderr, /etcd-backup: FAILED: member etcd-dev-0 is unhealthy, no snapshot taken/);
    assert.deepEqual(snapshotObjects(s3, bucket, CLUSTER_NAME), before);
    assert.equal(named.ok, false);
    assert.match(named.stderr, /refusing to snapshot https:\/\/\S+: the member is unhealthy/);
    assert.equal(leader.ok, false);
    assert.match(leader.stderr, /refusing to snapshot: no healthy leader/);
    assert.equal(existsSync(out) || existsSync(`${out}.part`), false, "a refused snapshot left a file");
    assert.equal(health.ok, false);
    assert.match(health.stdout, /0\/3 members healthy/);
  });

  it("etcd-ops snapshot of a healthy cluster writes a file etcdutl accepts", async () => {
    const cluster = clusterOf();
    const outputs = writeStackOutputs(cluster, workDir);
    const out = join(workDir, "cli.db");
    const result = await runEtcdOps(cluster, outputs, ["snapshot", "--out", out]);
    assert.ok(result.ok, result.stderr);
    const status = etcdutlStatus(out);
    assert.ok(status.totalKey > 0);
    console.log(result.stdout.trim());
  });
});
