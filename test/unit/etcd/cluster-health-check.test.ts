/**
 * The pre-disruption gate's member side (cluster-health-check.sh, as its SSM command ships it)
 * against a stand-in etcdctl: how it treats a learner other than the member about to be disrupted.
 * test/e2e/cluster-gate.test.ts runs the same script against real etcd 3.5.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { clusterHealthCheckScript } from "../../../src/core/aws/cluster-gate-command";
import { renderEtcdConfig } from "../../../src/core/member/etcd-config";
import { runAgainstFakeCluster, type ListedMember } from "./fake-etcdctl";
import { clusterOf, configInput } from "./fixtures";

// Member 0 of a 5-member rendering (etcd-test-0 … etcd-test-4, 10.0.<i>.10) runs the check.
const five = clusterOf(5);
const config = renderEtcdConfig(configInput(five, 0));
const idOf = (index: number) => 0x8e2a0 + index;
const voter = (index: number): ListedMember => ({ id: idOf(index), status: "started", name: five[index].name, peerUrl: `https://${five[index].ip}:2380` });
const learner = (index: number): ListedMember => ({ ...voter(index), isLearner: true });
const voters = [voter(0), voter(1), voter(2)];

const check = (disrupted: string, memberLists: readonly (readonly ListedMember[])[], promoteRefusals = 0) =>
  runAgainstFakeCluster({ script: clusterHealthCheckScript(), args: [disrupted], config, memberLists, promoteRefusals });
const promotions = (calls: readonly string[]) => calls.filter((call) => call.startsWith("member promote"));

describe("cluster-health-check: a learner other than the disrupted member", () => {
  test("is promoted when etcd accepts (it is in sync with the leader): the output says so, and the check passes", () => {
    const run = check("etcd-test-1", [
      [...voters, learner(3)],
      [...voters, voter(3)],
    ]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(promotions(run.etcdctlCalls), [`member promote ${idOf(3).toString(16)}`]);
    assert.deepEqual(run.stdout.trim().split("\n"), [
      `PROMOTED: etcd member etcd-test-3 (${idOf(3).toString(16)}) was a learner in sync with the leader: etcd made it a voter`,
      "PASSED: every voter but etcd-test-1 healthy (4 voters), no learner pending, no alarm: etcd-test-1 may be disrupted",
    ]);
  });

  test("refuses with etcd's reason and the fix when etcd refuses the promotion (not in sync with the leader)", () => {
    const run = check("etcd-test-1", [[...voters, learner(3)]], 1);
    assert.equal(run.status, 3, run.stderr);
    assert.equal(promotions(run.etcdctlCalls).length, 1);
    assert.match(
      run.stdout,
      /^REFUSED: etcd member etcd-test-3 is a learner waiting for its promotion, and etcd refused to promote it now: Error: etcdserver: can only promote a learner member which is in sync with leader\. The cluster runs a voter short\./,
    );
    assert.match(run.stdout, new RegExp(`run pulumi up again \\(this gate asks again\\), or remove it \\(etcdctl member remove ${idOf(3).toString(16)}\\)`));
  });

  test("the disrupted member itself, a learner, is not promoted: replacing it takes no voter down", () => {
    const run = check("etcd-test-3", [[...voters, learner(3)]]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(promotions(run.etcdctlCalls), []);
    assert.match(run.stdout, /^PASSED: every voter but etcd-test-3 healthy \(3 voters\)/);
  });

  test("without a learner, nothing is promoted", () => {
    const run = check("etcd-test-1", [voters]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(promotions(run.etcdctlCalls), []);
    assert.equal(run.etcdctlCalls.filter((call) => call.includes("member list")).length, 1);
  });
});
