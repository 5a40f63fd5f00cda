/**
 * How a member enters its cluster, decided by the installed `etcd-join-cluster` against real etcd
 * (the boot script runs it while the WAL directory is empty, and `--promote` on every boot): a
 * cluster created member by member in Pulumi's order, a learner whose promotion gave up and whose
 * instance is then replaced, a member whose WAL volume was replaced while its cluster is down, and a
 * scale-up member that cannot reach its cluster. Host paths are mapped; nothing else is changed.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LocalCluster } from "../../dev/local-cluster/local-cluster";
import { renderedBlueprint } from "../../dev/local-cluster/program-blueprint";
import { clusterGrowingToFive, joinOrFail, membershipOf, runInstalledJoin, waitStarted, withEtcdctl } from "./support/member-join";

/** Rounds of questions a member that finds no cluster asks before it fails (production: 120, 10 minutes). */
const SHORT_JOIN_WAIT = { ETCD_JOIN_ROUNDS: "2" };

describe("how a member enters its cluster, decided by the installed join step against real etcd", () => {
  it("creates a cluster in Pulumi's order: the first member founds it, the next finds it on its peer port, the last joins it", async () => {
    const three = await renderedBlueprint(3);
    const cluster = LocalCluster.create(three, "found");
    try {
      const [first, second, third] = cluster.members;
      const founding = await joinOrFail(first, three.members[0]);
      assert.match(founding.stderr, /no other member answers and etcd-dev-0 is the first member of initial-cluster: etcd-dev-0 founds the cluster/);
      first.start();
      // The first member runs without a leader: its client API answers nothing, its peer listener does.
      const cofounding = await joinOrFail(second, three.members[1]);
      assert.match(cofounding.stderr, /has no leader yet and lists etcd-dev-1 as a member that has not started: etcd-dev-1 founds the cluster/);
      second.start();
      await cluster.waitHealthy();
      const joining = await joinOrFail(third, three.members[2]);
      assert.match(joining.stderr, /etcd-dev-2 .* is a member that has not started yet: joining as it/);
      third.start();
      console.log(`cluster created member by member: healthy ${await cluster.waitHealthy()} ms after the last start`);
      for (const member of cluster.members) assert.equal(await membershipOf(cluster, member, [first]), "voter");
    } finally {
      await cluster.destroy();
    }
  });

  it("promotes a learner whose promotion gave up once its instance is replaced (rendered again with initial-cluster-state: new)", async () => {
    const { cluster, five } = await clusterGrowingToFive("learner");
    try {
      const voters = cluster.members.slice(0, 3);
      const joining = cluster.addMember(five.members[3]);
      await joinOrFail(joining, five.members[3]);
      joining.start();
      await waitStarted(cluster, joining, voters);
      // Its boot's promotion gave up: the member stays a learner with a WAL.
      assert.equal(await membershipOf(cluster, joining, voters), "learner");

      // The instance replacement: a new rendering (initial-cluster-state: new), the same volumes.
      // (No health gate here: a learner fails `endpoint health`, which needs a linearizable read.)
      await joining.stop("SIGTERM");
      joining.applyRendering(five.members[3]);
      joining.start();
      const promotion = await runInstalledJoin(joining, five.members[3], ["--promote"]);
      console.log(promotion.stderr.trim());
      assert.ok(promotion.ok, promotion.stderr);
      assert.equal(await membershipOf(cluster, joining, voters), "voter", "the replaced learner is a voter after its boot");
    } finally {
      await cluster.destroy();
    }
  });

  it("refuses to boot as new a member whose data directory holds data and whose WAL directory is empty, its cluster down", async () => {
    const three = await renderedBlueprint(3);
    const cluster = LocalCluster.create(three, "walgone");
    try {
      cluster.startAll();
      await cluster.waitHealthy();
      await cluster.put("walgone/key", "acknowledged", cluster.member(0));
      await cluster.stop(cluster.members, "SIGTERM");
      const member = cluster.member(0);
      // Its WAL volume was replaced: a fresh, empty wal-dir beside the old data.
      rmSync(member.walDir, { recursive: true, force: true });
      mkdirSync(member.walDir);
      assert.ok(readdirSync(join(member.dataDir, "member")).includes("snap"), "the data directory holds etcd's data");
      const run = await runInstalledJoin(member, three.members[0]);
      console.log(run.stderr.trim());
      assert.equal(run.ok, false, "the join step let a member with data and no WAL boot");
      assert.match(
        run.stderr,
        /holds data but .* is empty \(a replaced WAL volume\?\): started as new, etcd-dev-0 would come back under its old identity with an empty log/,
      );
    } finally {
      await cluster.destroy();
    }
  });

  it("never lets a scale-up member that cannot reach its cluster start a cluster of its own: it asks, then fails the boot", async () => {
    const { cluster, five } = await clusterGrowingToFive("cutoff");
    try {
      // The cluster is out of reach while member 3 boots.
      await cluster.stop(cluster.members, "SIGTERM");
      const joining = cluster.addMember(five.members[3]);
      const run = await runInstalledJoin(joining, five.members[3], [], { ...withEtcdctl(), ...SHORT_JOIN_WAIT });
      console.log(run.stderr.trim().split("\n").at(-1));
      assert.equal(run.ok, false, "a scale-up member that reached no cluster went on to boot");
      assert.match(
        run.stderr,
        /etcd-dev-3 found no cluster with a leader in 10 s and is not the first member of initial-cluster, so it never creates a cluster of its own/,
      );
    } finally {
      await cluster.destroy();
    }
  });
});
