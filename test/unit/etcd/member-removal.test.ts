import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderEtcdConfig } from "../../../src/core/member/etcd-config";
import {
  memberRemovalCommand,
  memberRemovalSsmCommand,
  removeMemberScript,
  renderMemberRemovalScript,
  type MemberRemovalInput,
} from "../../../src/core/aws/member-removal-command";
import { ssmShellParameters } from "../../../src/core/aws/ssm-run-command";
import { runAgainstSsmStub, type StubInstance } from "../../support/ssm-stub";
import { checkShellScript, toolAvailable } from "../../support/linters";
import { runAgainstFakeCluster, type ListedMember } from "./fake-etcdctl";
import { clusterOf, configInput } from "./fixtures";

// Shrinking 5 → 3: the removal runs on member 0, whose config was re-rendered with 3 members.
const five = clusterOf(5);
const peerUrlOf = (index: number) => `https://${five[index].ip}:2380`;
const configOfThree = renderEtcdConfig(configInput(five.slice(0, 3), 0));
const started = (index: number): ListedMember => ({ id: 0xa0 + index, status: "started", name: five[index].name, peerUrl: peerUrlOf(index) });
const members = (count: number) => Array.from({ length: count }, (_, index) => started(index));

const remove = (index: number, memberList: readonly ListedMember[] | null, config = configOfThree) =>
  runAgainstFakeCluster({ script: removeMemberScript(), config, args: [five[index].name, peerUrlOf(index)], memberLists: [memberList] });
const removals = (calls: readonly string[]) => calls.filter((call) => call.startsWith("member remove"));

describe("remove-member (member side of a scale-down)", () => {
  test("passes shellcheck", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const report = checkShellScript(removeMemberScript());
    assert.ok(report.passed, report.output);
  });

  test("removes the leaving member by its ID when a majority of the voters stays (5 → 3)", () => {
    const run = remove(4, members(5));
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(removals(run.etcdctlCalls), ["member remove a4"]);
  });

  test("asks every member this member's config lists, with its own certificate", () => {
    const run = remove(4, members(5));
    assert.equal(run.etcdctlIdentity, `${[0, 1, 2].map((i) => `https://${five[i].ip}:2379`).join(",")} /etc/etcd/pki/server.crt`);
  });

  test("refuses when fewer than a majority of the current voters would stay, and says so (5 → 1)", () => {
    const configOfOne = renderEtcdConfig(configInput(five.slice(0, 1), 0));
    const run = remove(1, members(5), configOfOne);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /only 1 of the 5 voting members stay, fewer than a majority \(3\)/);
    assert.deepEqual(removals(run.etcdctlCalls), []);
  });

  test("removes nothing, successfully, when this member's config still lists the member: a destroy, not a shrink", () => {
    const configOfFive = renderEtcdConfig(configInput(five, 0));
    const run = remove(4, members(5), configOfFive);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /still lists etcd-test-4 \(https:\/\/10\.0\.4\.10:2380\): the cluster is not shrinking/);
    assert.deepEqual(run.etcdctlCalls, []);
  });

  test("succeeds without removing anything when the member is already gone", () => {
    const run = remove(4, members(4));
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(removals(run.etcdctlCalls), []);
  });

  test("fails when the cluster does not answer", () => {
    const run = remove(4, null);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /without quorum no member can be removed/);
  });
});

const removal: MemberRemovalInput = {
  memberName: "etcd-test-4",
  peerUrl: peerUrlOf(4),
  clusterName: "etcd-test",
  runOnMemberName: "etcd-test-0",
  tagKeys: { cluster: "etcd:cluster", member: "etcd:member" },
  memberListParameter: "/etcd/etcd-test/member-names",
};

/** The member list after a shrink 5 → 3: etcd-test-4 leaves. */
const THREE_STAY = "etcd-test-0,etcd-test-1,etcd-test-2";

/**
 * The removal script against the AWS CLI stub; `instances` are the cluster's, each with what the
 * removal does there; `memberList` is the member list parameter's value (null: it does not exist).
 */
function runRemovalScript(instances: readonly StubInstance[], memberList: string | null = THREE_STAY) {
  const parameters = memberList === null ? {} : { [removal.memberListParameter]: memberList };
  const run = runAgainstSsmStub(renderMemberRemovalScript(removal), instances, {}, parameters);
  return { status: run.status, output: run.stdout + run.stderr, sent: run.sent };
}

const memberInstance = (index: number, host?: string, state: StubInstance["state"] = "running"): StubInstance => ({
  id: `i-${index}`,
  state,
  tags: { "etcd:cluster": "etcd-test", "etcd:member": `etcd-test-${index}` },
  host,
});
const REMOVES = `echo "remove-member: done: etcd-test-4 removed" >&2`;
const REFUSES = `echo "remove-member: what the member said" >&2; exit 1`;

describe("member removal (deployer side, Pulumi `delete` of the removal command)", () => {
  test("passes shellcheck as POSIX sh", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const report = checkShellScript(renderMemberRemovalScript(removal), "sh");
    assert.ok(report.passed, report.output);
  });

  test("runs the removal on the running instance tagged as the first member of the cluster, with an execution timeout", () => {
    const run = runRemovalScript([memberInstance(4, REMOVES), memberInstance(0, REMOVES)]);
    assert.equal(run.status, 0, run.output);
    assert.deepEqual(
      run.sent.map((sent) => sent.instance),
      ["i-0"],
    );
    assert.deepEqual(run.sent[0]?.parameters, JSON.parse(ssmShellParameters(memberRemovalSsmCommand("etcd-test-4", peerUrlOf(4)))));
    assert.deepEqual(run.sent[0]?.parameters.executionTimeout, ["60"]);
    assert.match(run.output, /done: etcd-test-4 removed/);
  });

  test("the command sent decodes to remove-member with the leaving member's name and peer URL", () => {
    const command = memberRemovalCommand("etcd-test-4", peerUrlOf(4));
    const encoded = /^echo (\S+) \| base64 -d \| /.exec(command)?.[1] ?? "";
    assert.equal(Buffer.from(encoded, "base64").toString("utf8"), removeMemberScript());
    assert.ok(command.endsWith(`bash -s -- 'etcd-test-4' '${peerUrlOf(4)}'`), command);
  });

  test("fails, printing the member's own output, when the removal fails on the member", () => {
    const run = runRemovalScript([memberInstance(0, REFUSES)]);
    assert.notEqual(run.status, 0);
    assert.match(run.output, /remove-member: what the member said/);
    assert.match(run.output, /its instance is kept/);
  });

  test("fails a shrink without sending anything when no instance of the first member runs", () => {
    const run = runRemovalScript([memberInstance(0, REMOVES, "stopped"), memberInstance(1, REMOVES)]);
    assert.notEqual(run.status, 0);
    assert.deepEqual(run.sent, []);
    assert.match(run.output, /no running instance of etcd-test-0/);
  });

  test("succeeds without sending anything when the member list is gone: the whole cluster is destroyed, member 0 stopped", () => {
    const run = runRemovalScript([memberInstance(0, REMOVES, "stopped"), memberInstance(4, REMOVES, "stopped")], null);
    assert.equal(run.status, 0, run.output);
    assert.deepEqual(run.sent, []);
    assert.match(run.output, /\/etcd\/etcd-test\/member-names is gone: the whole cluster is being destroyed, so etcd-test-4 is not removed from it/);
  });

  test("succeeds without sending anything when the member list still names the member: it is not leaving", () => {
    const run = runRemovalScript([memberInstance(0, REMOVES)], "etcd-test-0,etcd-test-1,etcd-test-2,etcd-test-3,etcd-test-4");
    assert.equal(run.status, 0, run.output);
    assert.deepEqual(run.sent, []);
    assert.match(run.output, /etcd-test-4 is still one of the cluster's members/);
  });
});
