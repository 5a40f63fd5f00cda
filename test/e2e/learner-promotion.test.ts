/**
 * A learner whose promotion gave up (its boot's promote step refused while it had not caught up,
 * the boot killed or timed out) is promoted without a new instance, by real etcd 3.5:
 * - by its own health gate: the `healthy` check (etcd-finish-boot --once, as the gate's SSM
 *   command runs it on the member's host) finishes a boot that started etcd: the promote step,
 *   then the completion marker; it still fails a boot that never started etcd;
 * - by the next `up`'s first pre-disruption gate: cluster-health-check, run on another member,
 *   has etcd promote the learner and passes.
 * Host paths are mapped; nothing else of the rendered scripts is changed.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, it } from "node:test";
import { clusterHealthCheckSsmCommand } from "../../src/core/aws/cluster-gate-command";
import { memberHealthCheckCommand } from "../../src/core/aws/health-gate-command";
import { BOOT_COMPLETE_MARKER, ETCD_BIN_DIR, ETCD_STARTED_MARKER, FINISH_BOOT_SCRIPT_PATH, JOIN_CLUSTER_SCRIPT_PATH } from "../../src/core/member/ports-and-paths";
import type { MemberBlueprint } from "../../dev/local-cluster/blueprint";
import { etcdBinaries } from "../../dev/local-cluster/etcd-binaries";
import type { EtcdMember } from "../../dev/local-cluster/etcd-member";
import { mapHostPath } from "../../dev/local-cluster/host-paths";
import type { LocalCluster } from "../../dev/local-cluster/local-cluster";
import { execInNamespace, type CommandResult } from "../../dev/local-cluster/namespace-exec";
import { mapMemberHostPaths } from "../../dev/sequence-drill/host-path-text";
import { clusterGrowingToFive, joinOrFail, membershipOf, waitStarted } from "./support/member-join";
import { runShippedMemberScript } from "./support/shipped-member-script";

/** Checks before a learner that just started is in sync; bounds, never assertions on speed. */
const ATTEMPTS = 20;
const PAUSE_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The cluster grown to four: etcd-dev-3 joined as a learner, started, and left a learner (its promotion gave up). */
async function learnerLeftPending(label: string): Promise<{ cluster: LocalCluster; learner: EtcdMember; rendered: MemberBlueprint; voters: EtcdMember[] }> {
  const { cluster, five } = await clusterGrowingToFive(label);
  const voters = cluster.members.slice(0, 3);
  const rendered = five.members[3] ?? assert.fail("no member 3 rendered");
  const learner = cluster.addMember(rendered);
  await joinOrFail(learner, rendered);
  learner.start();
  await waitStarted(cluster, learner, voters);
  assert.equal(await membershipOf(cluster, learner, voters), "learner");
  return { cluster, learner, rendered, voters };
}

/** The member's installed scripts the health gate's check runs, and etcd's binaries where the boot installs them, on its host. */
function installFinishBoot(member: EtcdMember, rendered: MemberBlueprint): void {
  for (const path of [FINISH_BOOT_SCRIPT_PATH, JOIN_CLUSTER_SCRIPT_PATH]) {
    const installed = rendered.installedFiles[path] ?? assert.fail(`the user data of ${member.name} installs no ${path}`);
    const file = mapHostPath(member.root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, mapMemberHostPaths(installed, member.root), { mode: 0o755 });
  }
  const binDir = mapHostPath(member.root, ETCD_BIN_DIR);
  mkdirSync(binDir, { recursive: true });
  if (!existsSync(`${binDir}/etcdctl`)) symlinkSync(etcdBinaries().etcdctl, `${binDir}/etcdctl`);
}

/** The health gate's `healthy` check, on the member's host as SSM runs it there. */
async function healthGateCheck(member: EtcdMember): Promise<CommandResult> {
  const result = await execInNamespace(member.namespace, ["sh", "-c", mapMemberHostPaths(memberHealthCheckCommand("healthy"), member.root)]);
  console.log(`health gate check of ${member.name}: ${result.ok ? "passed" : "failed"}\n${result.stderr.trim()}`);
  return result;
}

/** Asks `check` until it passes (a learner that just started may not be in sync yet), at most ATTEMPTS times. */
async function untilPassed(check: () => Promise<CommandResult>): Promise<CommandResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await check();
    if (result.ok || attempt === ATTEMPTS) return result;
    await sleep(PAUSE_MS);
  }
}

describe("a learner whose promotion gave up is promoted without a new instance (real etcd)", () => {
  it("by its health gate's check, which finishes the boot that started etcd (promote step, then the marker), and fails it before", async () => {
    const { cluster, learner, rendered, voters } = await learnerLeftPending("finish");
    try {
      installFinishBoot(learner, rendered);
      const beforeStart = await healthGateCheck(learner);
      assert.equal(beforeStart.ok, false, "a boot that has not started etcd fails its gate");
      assert.match(beforeStart.stderr, /the boot has not started etcd/);
      assert.equal(await membershipOf(cluster, learner, voters), "learner");

      // The boot started etcd and its timers, then stopped before its end.
      const started = mapHostPath(learner.root, ETCD_STARTED_MARKER);
      mkdirSync(dirname(started), { recursive: true });
      writeFileSync(started, "");
      const finished = await untilPassed(() => healthGateCheck(learner));
      assert.equal(finished.ok, true, finished.stderr);
      assert.match(finished.stderr, /promoted etcd-dev-3 \([0-9a-f]+\) to a voting member/);
      assert.equal(await membershipOf(cluster, learner, voters), "voter");
      assert.ok(existsSync(mapHostPath(learner.root, BOOT_COMPLETE_MARKER)), "the boot is marked complete");
      assert.equal((await healthGateCheck(learner)).ok, true, "the next check passes on the marker");
    } finally {
      await cluster.destroy();
    }
  });

  it("by the next up's first pre-disruption gate, which has etcd promote it and passes", async () => {
    const { cluster, learner, voters } = await learnerLeftPending("gatepromo");
    try {
      const [command] = clusterHealthCheckSsmCommand("etcd-dev-0").commands;
      const gate = await untilPassed(async () => {
        const result = await runShippedMemberScript(voters[1] ?? assert.fail(), command ?? assert.fail("no command"), ["etcd-dev-0"]);
        console.log(`gate for etcd-dev-0, asked on etcd-dev-1: exit ${result.code}\n${result.stdout}${result.stderr}`);
        return result;
      });
      assert.equal(gate.code, 0, gate.stdout + gate.stderr);
      assert.match(gate.stdout, /^PROMOTED: etcd member etcd-dev-3 \([0-9a-f]+\) was a learner in sync with the leader: etcd made it a voter$/m);
      assert.match(gate.stdout, /^PASSED: every voter but etcd-dev-0 healthy \(4 voters\), no learner pending, no alarm/m);
      assert.equal(await membershipOf(cluster, learner, voters), "voter");
    } finally {
      await cluster.destroy();
    }
  });
});
