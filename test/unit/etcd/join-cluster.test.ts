import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { renderEtcdConfig } from "../../../src/core/member/etcd-config";
import { joinClusterScript } from "../../../src/core/member/scripts/join-script";
import { checkShellScript, toolAvailable } from "../../support/linters";
import { runAgainstFakeCluster, type ListedMember } from "./fake-etcdctl";
import { clusterOf, configInput } from "./fixtures";

// Member 3 of a cluster rendered with 5 members (etcd-test-0 … etcd-test-4, 10.0.<i>.10).
const five = clusterOf(5);
const config = renderEtcdConfig(configInput(five, 3));
const started = (index: number): ListedMember => ({
  id: `id${index}`, status: "started", name: five[index].name, peerUrl: `https://${five[index].ip}:2380`,
});
const unstarted = (index: number): ListedMember => ({ id: `id${index}`, status: "unstarted", name: "", peerUrl: `https://${five[index].ip}:2380` });
const runningThree = [started(0), started(1), started(2)];
const learner = (member: ListedMember): ListedMember => ({ ...member, isLearner: true });

const join = (memberLists: readonly (readonly ListedMember[] | null)[], walFiles: readonly string[] = []) =>
  runAgainstFakeCluster({ script: joinClusterScript(), config, memberLists, walFiles });
// Member 3 after its join step: the step set initial-cluster-state: existing.
const joinedConfig = config.replace(/^initial-cluster-state: new$/m, "initial-cluster-state: existing");
const promote = (memberLists: readonly (readonly ListedMember[] | null)[], promoteRefusals = 0, memberConfig = joinedConfig) =>
  runAgainstFakeCluster({ script: joinClusterScript(), args: ["--promote"], config: memberConfig, memberLists, promoteRefusals });
const promoteCalls = (calls: readonly string[]) => calls.filter((call) => call.startsWith("member promote"));
const joinedKeys = (rewritten: string) => {
  const parsed = parse(rewritten) as Record<string, unknown>;
  return { cluster: parsed["initial-cluster"], state: parsed["initial-cluster-state"] };
};

describe("etcd-join-cluster (join step of a member's first boot)", () => {
  test("passes shellcheck", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const report = checkShellScript(joinClusterScript());
    assert.ok(report.passed, report.output);
  });

  test("asks the other members of the rendered initial-cluster, on their client port, with the member's own certificate", () => {
    const run = join([null]);
    assert.match(run.etcdctlCalls[0] ?? "", /member list -w simple$/);
    const others = [0, 1, 2, 4].map((index) => `https://${five[index].ip}:2379`).join(",");
    assert.equal(run.etcdctlIdentity, `${others} /etc/etcd/pki/server.crt`);
  });

  test("keeps the rendered config (initial-cluster-state: new) when no member answers: a bootstrap", () => {
    const run = join([null]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.etcdctlCalls.length, 3, "asks a bounded number of times");
    assert.equal(run.config, config);
  });

  test("adds a member the running cluster does not list as a learner, and names the cluster as etcd lists it", () => {
    const run = join([runningThree, [...runningThree, learner(unstarted(3))]]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.etcdctlCalls.includes(`member add etcd-test-3 --learner --peer-urls=https://10.0.3.10:2380`), run.etcdctlCalls.join("\n"));
    assert.deepEqual(joinedKeys(run.config), {
      cluster: five.slice(0, 4).map((m) => `${m.name}=https://${m.ip}:2380`).join(","),
      state: "existing",
    });
  });

  test("changes nothing in the config but initial-cluster and initial-cluster-state", () => {
    const run = join([runningThree, [...runningThree, unstarted(3)]]);
    const before = parse(config) as Record<string, unknown>;
    const after = parse(run.config) as Record<string, unknown>;
    for (const key of ["initial-cluster", "initial-cluster-state"]) {
      delete before[key];
      delete after[key];
    }
    assert.deepEqual(after, before);
  });

  test("joins as the member the cluster lists as not started, without adding it again", () => {
    const run = join([[...runningThree, unstarted(3)]]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!run.etcdctlCalls.some((call) => call.includes("member add")));
    assert.equal(joinedKeys(run.config).state, "existing");
  });

  test("joins as the unstarted learner an earlier run added, without adding it again", () => {
    const run = join([[...runningThree, learner(unstarted(3))]]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!run.etcdctlCalls.some((call) => call.includes("member add")));
    assert.equal(joinedKeys(run.config).state, "existing");
  });

  test("waits until an earlier joining member is promoted before adding (etcd admits one learner at a time)", () => {
    const waiting = [...runningThree, learner(started(4))];
    const run = join([waiting, waiting, [...runningThree, started(4)], [...runningThree, started(4), learner(unstarted(3))]]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.etcdctlCalls.slice(0, 4).map((call) => call.replace(/^--\S+ --\S+ /, "")), [
      "member list -w simple", "member list -w simple", "member list -w simple", "member add etcd-test-3 --learner --peer-urls=https://10.0.3.10:2380",
    ]);
  });

  test("joins as the member of a static bootstrap that etcd names from initial-cluster but that has not started", () => {
    const namedNotStarted: ListedMember = { ...unstarted(3), name: five[3].name };
    const run = join([[...runningThree, namedNotStarted]]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!run.etcdctlCalls.some((call) => call.includes("member add")));
    assert.equal(joinedKeys(run.config).state, "existing");
  });

  test("refuses a member whose peer URL the cluster lists as started (its data is lost), pointing at etcd-replace-member", () => {
    const run = join([[...runningThree, started(3)]]);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /etcd-replace-member/);
    assert.ok(!run.etcdctlCalls.some((call) => call.includes("member add") || call.includes("member remove")));
    assert.equal(run.config, config);
  });

  test("never touches a member whose WAL directory holds data", () => {
    const run = join([runningThree], ["0000000000000000-0000000000000000.wal"]);
    assert.notEqual(run.status, 0);
    assert.deepEqual(run.etcdctlCalls, []);
    assert.equal(run.config, config);
  });

  test("--promote promotes the learner, retrying while etcd says it is not in sync with the leader", () => {
    const run = promote([[...runningThree, learner(started(3))]], 2);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(promoteCalls(run.etcdctlCalls), ["member promote id3", "member promote id3", "member promote id3"]);
    assert.match(run.stderr, /promoted etcd-test-3 \(id3\) to a voting member \(attempt 3\)/);
  });

  test("--promote asks the other members, not the learner itself", () => {
    const run = promote([[...runningThree, learner(started(3))]]);
    const others = [0, 1, 2, 4].map((index) => `https://${five[index].ip}:2379`).join(",");
    assert.equal(run.etcdctlIdentity, `${others} /etc/etcd/pki/server.crt`);
  });

  test("--promote fails after 120 refused attempts, telling the operator to run it again", () => {
    const run = promote([[...runningThree, learner(started(3))]], 1000);
    assert.notEqual(run.status, 0);
    assert.equal(promoteCalls(run.etcdctlCalls).length, 120);
    assert.match(run.stderr, /did not catch up with the leader in 600 s: it stays a learner .*run etcd-join-cluster --promote again/);
  });

  test("--promote leaves a voting member as it is", () => {
    const run = promote([[...runningThree, started(3)]]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(promoteCalls(run.etcdctlCalls), []);
    assert.match(run.stderr, /etcd-test-3 is a voting member: nothing to promote/);
  });

  test("--promote asks nothing on a member of a new cluster (initial-cluster-state: new)", () => {
    const run = promote([null], 0, config);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.etcdctlCalls, []);
  });
});
