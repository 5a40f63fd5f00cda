/**
 * Resizing a running cluster with what the program installs, on real etcd, in the order
 * `pulumi up` takes. Growing: the 3-member rendering runs; members 0-2 restart one at a time with
 * their 5-member rendering (their instance replacement: same data, new config, whose peer
 * `allowed-cn` now admits members 3 and 4); members 3 and 4 run their installed etcd-join-cluster
 * (host paths mapped, nothing else changed), start with their rendered config as learners, and
 * become voters through `etcd-join-cluster --promote`, as their boot script runs it. Shrinking:
 * members 0-2 restart with their 3-member rendering again, then the removal's member side
 * (remove-member, exactly the bytes the removal command ships) removes 4 and 3 through member 0.
 * Only the removal's SSM transport (aws ssm send-command from the deployer) is not exercised here.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memberRemovalCommand } from "../../src/core/aws/member-removal-command";
import { realTls } from "../../dev/mock-runtime/real-tls";
import { rememberingTls } from "../../dev/mock-runtime/remembering-tls";
import type { EtcdMember } from "../../dev/local-cluster/etcd-member";
import { LocalCluster } from "../../dev/local-cluster/local-cluster";
import { expectOk } from "../../dev/local-cluster/namespace-exec";
import { renderedBlueprint } from "../../dev/local-cluster/program-blueprint";
import { memberList } from "./support/leader";
import { joinOrFail, membershipOf, rollOut } from "./support/member-join";
import { runShippedMemberScript } from "./support/shipped-member-script";

const KEYS = Array.from({ length: 30 }, (_, index) => `resize/${String(index).padStart(2, "0")}`);
/** Every key under resize/ as read from the member's own store (serializable): the data really is on it. */
async function keysOn(cluster: LocalCluster, member: EtcdMember): Promise<string[]> {
  const out = expectOk(await cluster.etcdctl(["get", "resize/", "--prefix", "--keys-only", "--consistency=s"], [member]), `keys on ${member.name}`);
  return out.split("\n").filter(Boolean).sort();
}

/** The member-side part of the removal command: the script it ships, run with bash in `on`'s namespace. */
function removeThrough(on: EtcdMember, leaving: EtcdMember) {
  return runShippedMemberScript(on, memberRemovalCommand(leaving.name, leaving.peerUrl), [leaving.name, leaving.peerUrl]);
}

describe("resizing a running cluster 3 → 5 → 3 with the installed scripts, on real etcd", () => {
  it("joins members 3 and 4 with all data, then removes them again, keeping every key", async () => {
    const timings: string[] = [];
    let mark = Date.now();
    const lap = (what: string) => {
      timings.push(`${what}: ${Date.now() - mark} ms`);
      mark = Date.now();
    };
    // One emulator for both renders: like two `pulumi up`s of one stack, the CA and members 0-2's certificates stay.
    const tls = rememberingTls(realTls());
    const three = await renderedBlueprint(3, tls);
    const five = await renderedBlueprint(5, tls);
    lap("render 3 and 5 members");

    const cluster = LocalCluster.create(three, "resize");
    try {
      cluster.startAll();
      await cluster.waitHealthy();
      for (const key of KEYS) await cluster.put(key, key, cluster.member(0));
      lap("boot 3 members, write keys");
      await rollOut(cluster, five, cluster.members.slice(0, 3));
      lap("restart members 0-2 with the 5-member rendering");

      for (const index of [3, 4]) {
        const rendered = five.members[index];
        const member = cluster.addMember(rendered);
        const join = await joinOrFail(member, rendered);
        assert.match(join.stderr, new RegExp(`adding ${member.name} .* as a learner`));
        assert.equal(await membershipOf(cluster, member, cluster.members.slice(0, 3)), "learner", `${member.name} joins as a learner`);
        lap(`join ${member.name} as a learner`);
        member.start();
        const promotion = await joinOrFail(member, rendered, ["--promote"]);
        assert.match(promotion.stderr, new RegExp(`promoted ${member.name} \\(\\w+\\) to a voting member`));
        assert.equal(await membershipOf(cluster, member, cluster.members.slice(0, 3)), "voter", `${member.name} is a voter once promoted`);
        lap(`start ${member.name} and promote it (${/voting member \((attempt \d+)\)/.exec(promotion.stderr)?.[1] ?? ""})`);
        await cluster.waitHealthy();
        lap(`${member.name} healthy`);
      }
      const grown = await memberList(cluster);
      assert.deepEqual(grown.map((entry) => entry.name).sort(), five.members.map((member) => member.name).sort(), "5 started members");
      for (const index of [3, 4]) assert.deepEqual(await keysOn(cluster, cluster.member(index)), KEYS);

      await rollOut(cluster, three, cluster.members.slice(0, 3));
      lap("restart members 0-2 with the 3-member rendering");
      for (const index of [4, 3]) {
        const leaving = cluster.member(index);
        const removal = await removeThrough(cluster.member(0), leaving);
        assert.ok(removal.ok, `removing ${leaving.name} failed:\n${removal.stderr}`);
        await leaving.stop("SIGTERM");
        await cluster.waitHealthy();
        lap(`remove and stop ${leaving.name}`);
      }
      const shrunk = await memberList(cluster);
      assert.deepEqual(shrunk.map((entry) => entry.name).sort(), three.members.map((member) => member.name).sort(), "3 members");
      for (const member of cluster.members.slice(0, 3)) assert.deepEqual(await keysOn(cluster, member), KEYS);
      lap("check 3 members");
    } finally {
      await cluster.destroy();
      console.log(`resize timings:\n  ${timings.join("\n  ")}`);
    }
  });

  it("completes a first bootstrap: the last member, started after a quorum formed, joins as the member it was rendered as", async () => {
    const three = await renderedBlueprint(3);
    const cluster = LocalCluster.create(three, "bootjoin");
    try {
      cluster.member(0).start();
      cluster.member(1).start();
      await cluster.waitHealthy();
      const last = cluster.member(2);
      const join = await joinOrFail(last, three.members[2]);
      assert.match(join.stderr, /has not started yet: joining as it/);
      last.start();
      console.log(`${last.name} joined a bootstrapped cluster: healthy after ${await cluster.waitHealthy()} ms`);
      const promotion = await joinOrFail(last, three.members[2], ["--promote"]);
      assert.match(promotion.stderr, /is a voting member: nothing to promote/);
      assert.deepEqual((await memberList(cluster)).map((entry) => entry.name).sort(), three.members.map((member) => member.name).sort());
    } finally {
      await cluster.destroy();
    }
  });
});
