import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { renderEtcdConfig } from "../../../components/etcd/etcd-config";
import { joinClusterScript } from "../../../components/etcd/join-script";
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

const join = (memberLists: readonly (readonly ListedMember[] | null)[], walFiles: readonly string[] = []) =>
  runAgainstFakeCluster({ script: joinClusterScript(), config, memberLists, walFiles });
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

  test("adds a member the running cluster does not list, and names the cluster as etcd lists it", () => {
    const run = join([runningThree, [...runningThree, unstarted(3)]]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.etcdctlCalls.includes(`member add etcd-test-3 --peer-urls=https://10.0.3.10:2380`), run.etcdctlCalls.join("\n"));
    assert.deepEqual(joinedKeys(run.config), {
      cluster: five.slice(0, 4).map((m) => `${m.name}=https://${m.ip}:2380`).join(","),
      state: "existing",
    });
  });

  test("changes nothing in the config but initial-cluster and initial-cluster-state", () => {
    const run = join([runningThree, [...runningThree, unstarted(3)]]);
    const before = parse(config) as Record<string, unknown>;
    const after = parse(run.config) as Record<string, unknown>;
    for (const key of ["initial-cluster", "initial-cluster-state"]) delete before[key], delete after[key];
    assert.deepEqual(after, before);
  });

  test("joins as the member the cluster lists as not started, without adding it again", () => {
    const run = join([[...runningThree, unstarted(3)]]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!run.etcdctlCalls.some((call) => call.includes("member add")));
    assert.equal(joinedKeys(run.config).state, "existing");
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
});
