/**
 * A restore only ever creates a new cluster, on real etcd: the stack rendered with `restore` set
 * boots member by member in Pulumi's order, each member's installed join step deciding, with
 * `--restore` (as the boot script passes it), whether it founds the cluster and so restores. The
 * founders restore; the last member joins the restored cluster; a scale-up member (3 → 5, `restore`
 * still set) joins as a learner and never restores; a member whose volumes were recreated while
 * the cluster runs is refused. The AWS CLI is the S3 stub; host paths and the restore's owner are
 * the only other changes (backup-support/member-scripts.ts).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { snapshotKeyPrefix } from "../../src/core/member/scripts/backup-script";
import type { EtcdMember } from "../../dev/local-cluster/etcd-member";
import { LocalCluster } from "../../dev/local-cluster/local-cluster";
import { expectOk } from "../../dev/local-cluster/namespace-exec";
import { renderedStack } from "../../dev/local-cluster/program-blueprint";
import { realTls } from "../../dev/mock-runtime/real-tls";
import { rememberingTls } from "../../dev/mock-runtime/remembering-tls";
import { fingerprint, seedKeys } from "./backup-support/keyspace";
import { StubS3, installRestoreScript, runBackupScript } from "./backup-support/member-scripts";
import { clusterIdOf, joinOrFail, membershipOf, renderingOf, rollOut, runInstalledJoin, waitStarted } from "./support/member-join";

const CLUSTER_NAME = "etcd-dev";
const SEEDED_KEYS = 500;

/** Keys `member` holds in its own store (a serializable read: the data is really on it). */
async function keyCountOn(cluster: LocalCluster, member: EtcdMember): Promise<number> {
  const out = expectOk(
    await cluster.etcdctl(["get", "", "--prefix", "--keys-only", "--limit=1", "--consistency=s", "-w", "json"], [member]),
    `count on ${member.name}`,
  );
  return (JSON.parse(out) as { count?: number }).count ?? 0;
}

describe("a restore only creates a new cluster (the installed join step with --restore, real etcd)", () => {
  const s3 = new StubS3();
  after(() => s3.destroy());

  it("restores on the founders only; a scale-up member and a member with recreated volumes never restore", async () => {
    // The source: the dev stack with keys, one snapshot from its leader through the installed backup script.
    const source = await renderedStack({ members: 3 });
    const old = LocalCluster.create(source.blueprint, "rsrc");
    let snapshotUri = "";
    let expected: Awaited<ReturnType<typeof fingerprint>>;
    try {
      old.startAll();
      await old.waitHealthy();
      await seedKeys(old, "restore/", SEEDED_KEYS);
      expected = await fingerprint(old, "restore/");
      for (const member of old.members) {
        const run = await runBackupScript(old.blueprint, member, s3);
        assert.ok(run.ok, run.stderr);
        snapshotUri ||= /^etcd-backup: OK (s3:\/\/\S+)/.exec(run.stdout)?.[1] ?? "";
      }
    } finally {
      await old.destroy();
    }
    assert.ok(snapshotUri.startsWith(`s3://${source.backupBucket}/${snapshotKeyPrefix(CLUSTER_NAME)}`), snapshotUri);
    const restore = {
      snapshotUri,
      snapshotSha256: createHash("sha256")
        .update(readFileSync(s3.objectFile(snapshotUri)))
        .digest("hex"),
    };

    const tls = rememberingTls(realTls());
    const three = (await renderedStack({ members: 3, restore }, tls)).blueprint;
    const five = (await renderedStack({ members: 5, restore }, tls)).blueprint;
    const cluster = LocalCluster.create(three, "rfound");
    // As the boot script runs it on a stack with `restore`: with the restore script, the S3 stub and etcdctl on PATH.
    const joinRestoring = (member: EtcdMember, rendering = three) =>
      runInstalledJoin(member, renderingOf(rendering, member), ["--restore", installRestoreScript(rendering, member)], s3.environment());
    try {
      const steps: string[] = [];
      for (const member of cluster.members) {
        const join = await joinRestoring(member);
        assert.ok(join.ok, `join of ${member.name} failed:\n${join.stderr}`);
        steps.push(`${member.name}: ${/founds the cluster|joining as it/.exec(join.stderr)?.[0] ?? "?"}${/etcd-restore: OK/.test(join.stdout) ? ", restored" : ""}`);
        member.start();
        if (member === cluster.member(1)) await cluster.waitHealthy();
      }
      await cluster.waitHealthy();
      console.log(`created from ${snapshotUri}:\n  ${steps.join("\n  ")}`);
      assert.deepEqual(steps, ["etcd-dev-0: founds the cluster, restored", "etcd-dev-1: founds the cluster, restored", "etcd-dev-2: joining as it"]);
      assert.deepEqual(await fingerprint(cluster, "restore/"), expected);
      for (const member of cluster.members) assert.equal(await keyCountOn(cluster, member), SEEDED_KEYS, member.name);
      const clusterId = await clusterIdOf(cluster, cluster.member(0));

      // Scale-up with `restore` still set: member 3 joins the restored cluster as a learner.
      const voters = cluster.members.slice(0, 3);
      await rollOut(cluster, five, voters);
      const joining = cluster.addMember(five.members[3]);
      const scaleUp = await joinRestoring(joining, five);
      assert.ok(scaleUp.ok, scaleUp.stderr);
      assert.doesNotMatch(scaleUp.stdout + scaleUp.stderr, /etcd-restore/, "the scale-up member ran the restore");
      assert.match(scaleUp.stderr, /adding etcd-dev-3 .* as a learner/);
      joining.start();
      await waitStarted(cluster, joining, voters);
      await joinOrFail(joining, five.members[3], ["--promote"]);
      assert.equal(await membershipOf(cluster, joining, voters), "voter");
      await cluster.waitHealthy();
      assert.equal(await clusterIdOf(cluster, joining), clusterId, "member 3 is in the restored cluster");
      assert.equal(await keyCountOn(cluster, joining), SEEDED_KEYS);

      // Member 1's volumes recreated while the cluster runs: refused, nothing restored.
      const recreated = cluster.member(1);
      await recreated.stop("SIGTERM");
      recreated.wipe();
      const refused = await joinRestoring(recreated, five);
      assert.equal(refused.ok, false, "a member of a running cluster went on to boot on empty volumes");
      assert.match(refused.stderr, /has started, but .* is empty: etcd-dev-1 lost its data/);
      assert.doesNotMatch(refused.stdout + refused.stderr, /etcd-restore/);
    } finally {
      await cluster.destroy();
    }
  });
});
