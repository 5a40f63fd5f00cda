import assert from "node:assert/strict";
import { basename, dirname } from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { renderEtcdConfig } from "../../../src/core/member/etcd-config";
import { joinClusterScript } from "../../../src/core/member/scripts/join-script";
import { BOOT_SCRIPT_PATH, ETCD_BIN_DIR, REPLACE_MEMBER_SCRIPT_PATH } from "../../../src/core/member/ports-and-paths";
import { checkShellScript, toolAvailable } from "../../support/linters";
import { runAgainstFakeCluster, type FakeClusterInput, type ListedMember } from "./fake-etcdctl";
import { clusterOf, configInput } from "./fixtures";

// Member 3 of a cluster rendered with 5 members (etcd-test-0 … etcd-test-4, 10.0.<i>.10).
const five = clusterOf(5);
const config = renderEtcdConfig(configInput(five, 3));
// Member 0 of the same rendering: the first member of initial-cluster.
const firstConfig = renderEtcdConfig(configInput(five, 0));
const idOf = (index: number) => 0x8e2a0 + index;
const started = (index: number): ListedMember => ({
  id: idOf(index),
  status: "started",
  name: five[index].name,
  peerUrl: `https://${five[index].ip}:2380`,
});
const unstarted = (index: number): ListedMember => ({ id: idOf(index), status: "unstarted", name: "", peerUrl: `https://${five[index].ip}:2380` });
// A member of a static bootstrap that has not started: etcd names it from initial-cluster.
const founding = (index: number): ListedMember => ({ ...unstarted(index), name: five[index].name });
const runningThree = [started(0), started(1), started(2)];
const learner = (member: ListedMember): ListedMember => ({ ...member, isLearner: true });

type Lists = readonly (readonly ListedMember[] | null)[];
const join = (memberLists: Lists, options: Partial<FakeClusterInput> = {}) =>
  runAgainstFakeCluster({ script: joinClusterScript(), config, memberLists, ...options });
// Member 3 after its join step: the step set initial-cluster-state: existing.
const joinedConfig = config.replace(/^initial-cluster-state: new$/m, "initial-cluster-state: existing");
const promote = (memberLists: Lists, promoteRefusals = 0, memberConfig = joinedConfig) =>
  runAgainstFakeCluster({ script: joinClusterScript(), args: ["--promote"], config: memberConfig, memberLists, promoteRefusals });
const promoteCalls = (calls: readonly string[]) => calls.filter((call) => call.startsWith("member promote"));
const memberAdds = (calls: readonly string[]) => calls.filter((call) => call.includes("member add"));
const peerCalls = (calls: readonly string[]) => calls.filter((call) => call.startsWith("curl "));
const joinedKeys = (rewritten: string) => {
  const parsed = parse(rewritten) as Record<string, unknown>;
  return { cluster: parsed["initial-cluster"], state: parsed["initial-cluster-state"] };
};
const SHORT_WAIT = { ETCD_JOIN_ROUNDS: "4" };
// What a refusal tells the operator to run on the member's instance: the installed replacement, then
// the installed boot again, with the directories both are installed in on PATH (a Run Command's
// shell may lack them).
const REPLACEMENT_COMMAND =
  `export PATH=${dirname(BOOT_SCRIPT_PATH)}:${ETCD_BIN_DIR}:$PATH; ` + `${basename(REPLACE_MEMBER_SCRIPT_PATH)} && ${basename(BOOT_SCRIPT_PATH)}`;
const assertNamesReplacement = (stderr: string) => {
  assert.equal(/'([^']+)'/.exec(stderr)?.[1], REPLACEMENT_COMMAND, stderr);
  assert.match(stderr, /on its instance, as root .* then run pulumi up again \(README: Replacing a member that lost its data\)/);
};

describe("etcd-join-cluster (join step of a member's first boot)", () => {
  test("passes shellcheck", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const report = checkShellScript(joinClusterScript());
    assert.ok(report.passed, report.output);
  });

  test("asks the other members of the rendered initial-cluster, on their client port, with the member's own certificate", () => {
    const run = join([runningThree]);
    assert.match(run.etcdctlCalls[0] ?? "", /member list -w json$/);
    const others = [0, 1, 2, 4].map((index) => `https://${five[index].ip}:2379`).join(",");
    assert.equal(run.etcdctlIdentity, `${others} /etc/etcd/pki/server.crt`);
  });

  test("asks each other member's peer listener for /members when no client API answers", () => {
    const run = join([null], { env: { ETCD_JOIN_ROUNDS: "1" } });
    assert.deepEqual(
      peerCalls(run.etcdctlCalls).sort(),
      [0, 1, 2, 4].map((index) => `curl https://${five[index].ip}:2380/members`),
    );
  });

  test("the first member of initial-cluster founds the cluster (keeps initial-cluster-state: new) when no member answers", () => {
    const run = runAgainstFakeCluster({ script: joinClusterScript(), config: firstConfig, memberLists: [null] });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.etcdctlCalls.filter((call) => call.includes("member list")).length, 2, "asks a bounded number of times");
    assert.equal(run.config, firstConfig);
    assert.match(run.stderr, /etcd-test-0 founds the cluster/);
  });

  test("any other member never founds a cluster when no member answers: it keeps asking, then fails", () => {
    const run = join([null], { env: SHORT_WAIT });
    assert.notEqual(run.status, 0);
    assert.equal(run.etcdctlCalls.filter((call) => call.includes("member list")).length, 4);
    assert.match(run.stderr, /found no cluster with a leader in 20 s and is not the first member of initial-cluster, so it never creates a cluster of its own/);
    assert.equal(run.config, config);
  });

  test("keeps the rendered new when a running etcd without a leader lists it as a founder that has not started", () => {
    const run = join([null], { peerLists: [[started(0), founding(1), founding(2), founding(3), founding(4)]] });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(memberAdds(run.etcdctlCalls), []);
    assert.equal(run.config, config);
    assert.match(run.stderr, /has no leader yet and lists etcd-test-3 as a member that has not started: etcd-test-3 founds the cluster/);
  });

  test("refuses when a running etcd without a leader lists it as started (its data is lost), naming the replacement", () => {
    const run = join([null], { peerLists: [[started(0), started(1), started(2), started(3), started(4)]] });
    assert.notEqual(run.status, 0);
    assertNamesReplacement(run.stderr);
    assert.equal(run.config, config);
  });

  test("waits for a leader when a running etcd does not list it (scale-up), then joins as a learner", () => {
    const run = join([null, null, [...runningThree], [...runningThree, learner(unstarted(3))]], { peerLists: [[...runningThree]] });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(memberAdds(run.etcdctlCalls), ["member add etcd-test-3 --learner --peer-urls=https://10.0.3.10:2380"]);
    assert.match(run.stderr, /the cluster has no leader and does not list etcd-test-3/);
  });

  test("runs the restore script only on a founder of a cluster that does not exist yet", () => {
    const founder = runAgainstFakeCluster({ script: joinClusterScript(), config: firstConfig, memberLists: [null], withRestoreScript: true });
    assert.equal(founder.status, 0, founder.stderr);
    assert.equal(founder.etcdctlCalls.at(-1), "restore");
    const cofounder = join([null], { withRestoreScript: true, peerLists: [[started(0), founding(1), founding(2), founding(3), founding(4)]] });
    assert.equal(cofounder.status, 0, cofounder.stderr);
    assert.equal(cofounder.etcdctlCalls.at(-1), "restore");
    const scaleUp = join([runningThree, [...runningThree, learner(unstarted(3))]], { withRestoreScript: true });
    assert.equal(scaleUp.status, 0, scaleUp.stderr);
    assert.ok(!scaleUp.etcdctlCalls.includes("restore"), "a scale-up member restored");
    const unreachable = join([null], { withRestoreScript: true, env: SHORT_WAIT });
    assert.notEqual(unreachable.status, 0);
    assert.ok(!unreachable.etcdctlCalls.includes("restore"), "a member that reached no cluster restored");
  });

  test("refuses a member whose data directory holds data while its WAL directory is empty, asking nobody, naming the replacement", () => {
    const run = join([null], { dataFiles: ["member"] });
    assert.notEqual(run.status, 0);
    assert.match(
      run.stderr,
      /holds data but .* is empty \(a replaced WAL volume\?\): started as new, etcd-test-3 would come back under its old identity with an empty log/,
    );
    assertNamesReplacement(run.stderr);
    assert.deepEqual(run.etcdctlCalls, []);
    assert.equal(run.config, config);
  });

  test("adds a member the running cluster does not list as a learner, and names the cluster as etcd lists it", () => {
    const run = join([runningThree, [...runningThree, learner(unstarted(3))]]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(memberAdds(run.etcdctlCalls), ["member add etcd-test-3 --learner --peer-urls=https://10.0.3.10:2380"]);
    assert.deepEqual(joinedKeys(run.config), {
      cluster: five
        .slice(0, 4)
        .map((m) => `${m.name}=https://${m.ip}:2380`)
        .join(","),
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
    assert.deepEqual(memberAdds(run.etcdctlCalls), []);
    assert.equal(joinedKeys(run.config).state, "existing");
  });

  test("joins as the unstarted learner an earlier run added, without adding it again", () => {
    const run = join([[...runningThree, learner(unstarted(3))]]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(memberAdds(run.etcdctlCalls), []);
    assert.equal(joinedKeys(run.config).state, "existing");
  });

  test("waits while etcd refuses to promote an earlier joining member before adding (etcd admits one learner at a time)", () => {
    const waiting = [...runningThree, learner(started(4))];
    const run = join([waiting, waiting, [...runningThree, started(4)], [...runningThree, started(4), learner(unstarted(3))]], { promoteRefusals: 2 });
    assert.equal(run.status, 0, run.stderr);
    const id = idOf(4).toString(16);
    assert.deepEqual(
      run.etcdctlCalls.slice(0, 6).map((call) => call.replace(/^(--\S+ )+/, "")),
      [
        "member list -w json",
        `member promote ${id}`,
        "member list -w json",
        `member promote ${id}`,
        "member list -w json",
        "member add etcd-test-3 --learner --peer-urls=https://10.0.3.10:2380",
      ],
    );
    assert.match(
      run.stderr,
      /the learner at https:\/\/10\.0\.4\.10:2380 is not promoted yet \(etcd: Error: etcdserver: can only promote a learner member which is in sync with leader; attempt 1 of 120\)/,
    );
  });

  test("has etcd promote an earlier joining member that is in sync (its own promotion gave up), then adds itself", () => {
    const run = join([
      [...runningThree, learner(started(4))],
      [...runningThree, started(4)],
      [...runningThree, started(4), learner(unstarted(3))],
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      run.etcdctlCalls.slice(0, 4).map((call) => call.replace(/^(--\S+ )+/, "")),
      [
        "member list -w json",
        `member promote ${idOf(4).toString(16)}`,
        "member list -w json",
        "member add etcd-test-3 --learner --peer-urls=https://10.0.3.10:2380",
      ],
    );
    assert.match(run.stderr, /promoted the learner at https:\/\/10\.0\.4\.10:2380/);
  });

  test("counts an earlier joining member that someone else promoted meanwhile (etcd: no learner) as promoted, then adds itself", () => {
    const run = join(
      [
        [...runningThree, learner(started(4))],
        [...runningThree, started(4)],
        [...runningThree, started(4), learner(unstarted(3))],
      ],
      { promoteRefusals: 1, promoteRefusal: "Error: etcdserver: can only promote a learner member" },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(promoteCalls(run.etcdctlCalls).length, 1);
    assert.equal(memberAdds(run.etcdctlCalls).length, 1);
    assert.match(run.stderr, /the learner at https:\/\/10\.0\.4\.10:2380 is a voting member already \(promoted meanwhile\)/);
    assert.doesNotMatch(run.stderr, /not promoted yet/);
  });

  test("joins as the member of a static bootstrap that etcd names from initial-cluster but that has not started", () => {
    const run = join([[...runningThree, founding(3)]]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(memberAdds(run.etcdctlCalls), []);
    assert.equal(joinedKeys(run.config).state, "existing");
  });

  test("refuses a member whose peer URL the cluster lists as started (its data is lost), naming the replacement and what to run after it", () => {
    const run = join([[...runningThree, started(3)]]);
    assert.notEqual(run.status, 0);
    assertNamesReplacement(run.stderr);
    assert.ok(!run.etcdctlCalls.some((call) => call.includes("member add") || call.includes("member remove")));
    assert.equal(run.config, config);
  });

  test("never touches a member whose WAL directory holds data", () => {
    const run = join([runningThree], { walFiles: ["0000000000000000-0000000000000000.wal"] });
    assert.notEqual(run.status, 0);
    assert.deepEqual(run.etcdctlCalls, []);
    assert.equal(run.config, config);
  });

  test("--promote promotes the learner by its ID in hex, retrying while etcd says it is not in sync with the leader", () => {
    const run = promote([[...runningThree, learner(started(3))]], 2);
    assert.equal(run.status, 0, run.stderr);
    const id = idOf(3).toString(16);
    assert.deepEqual(promoteCalls(run.etcdctlCalls), [`member promote ${id}`, `member promote ${id}`, `member promote ${id}`]);
    assert.match(run.stderr, new RegExp(`promoted etcd-test-3 \\(${id}\\) to a voting member \\(attempt 3\\)`));
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

  test("--promote asks etcd, not the rendered config: a learner rendered with initial-cluster-state: new (a replaced instance) is promoted", () => {
    const run = promote([[...runningThree, learner(started(3))]], 0, config);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(promoteCalls(run.etcdctlCalls), [`member promote ${idOf(3).toString(16)}`]);
  });

  test("--promote --once asks etcd once and tries the promotion once, failing with etcd's refusal (the health gate's bounded check)", () => {
    const run = runAgainstFakeCluster({
      script: joinClusterScript(),
      args: ["--promote", "--once"],
      config: joinedConfig,
      memberLists: [[...runningThree, learner(started(3))]],
      promoteRefusals: 1000,
    });
    assert.equal(run.status, 1);
    assert.equal(run.etcdctlCalls.filter((call) => call.includes("member list")).length, 1);
    assert.equal(promoteCalls(run.etcdctlCalls).length, 1);
    assert.match(
      run.stderr,
      /learner etcd-test-3 stays a learner for now: etcd refused its promotion \(Error: etcdserver: can only promote a learner member which is in sync with leader\)/,
    );
  });

  test("--promote --once gives up at once when no member answers", () => {
    const run = runAgainstFakeCluster({ script: joinClusterScript(), args: ["--promote", "--once"], config, memberLists: [null] });
    assert.equal(run.status, 1);
    assert.equal(run.etcdctlCalls.length, 1);
    assert.match(run.stderr, /no member answers at .*\(attempt 1 of 1\)/);
  });

  test("--promote counts a promotion someone else made meanwhile as done (etcd: the member is no learner)", () => {
    const run = runAgainstFakeCluster({
      script: joinClusterScript(),
      args: ["--promote"],
      config: joinedConfig,
      memberLists: [[...runningThree, learner(started(3))]],
      promoteRefusals: 1,
      promoteRefusal: "Error: etcdserver: can only promote a learner member",
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(promoteCalls(run.etcdctlCalls).length, 1);
    assert.match(run.stderr, /etcd-test-3 is a voting member already \(promoted meanwhile\)/);
  });

  test("--promote fails when no member answers, rather than guess", () => {
    const run = runAgainstFakeCluster({ script: joinClusterScript(), args: ["--promote"], config, memberLists: [null], env: SHORT_WAIT });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /cannot tell whether etcd-test-3 is a learner/);
  });
});
