/**
 * The pre-disruption gate's deployer side (scripts/cluster-gate.sh as rendered) against the AWS CLI
 * stub: which instance it asks, what it sends, and how it reads the member's verdict. What the
 * member answers is cluster-health-check.sh's job, run against real etcd in
 * test/e2e/cluster-gate.test.ts; here each instance's answer is a stand-in shell.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { clusterHealthCheckScript, clusterHealthCheckSsmCommand, renderClusterGateScript, type ClusterGateInput } from "../../../src/core/aws/cluster-gate-command";
import { checkShellScript, checkShellScriptFileWithSources, toolAvailable } from "../../support/linters";
import { runAgainstSsmStub, type StubInstance } from "../../support/ssm-stub";

const gate: ClusterGateInput = {
  memberName: "etcd-test-1",
  clusterName: "etcd-test",
  tagKeys: { cluster: "etcd:cluster", member: "etcd:member" },
  limits: { maxAttempts: 2, retryIntervalSeconds: 0, timeoutSeconds: 600 },
};
const PASSES = `echo "PASSED: every voter but etcd-test-1 healthy (3 voters), no learner pending, no alarm"`;
const REFUSES = `echo "REFUSED: etcd member etcd-test-2 (https://10.0.2.10:2379) is not healthy: context deadline exceeded"; exit 3`;
const CANNOT_CHECK = `echo "cluster-health-check: cannot read the etcd config /etc/etcd/etcd.conf.yml" >&2; exit 1`;

function instance(index: number, host: string | undefined, state: StubInstance["state"] = "running", cluster = "etcd-test"): StubInstance {
  return { id: `i-${index}`, state, tags: { "etcd:cluster": cluster, "etcd:member": `etcd-test-${index}`, Name: `etcd-test-${index}` }, host };
}
const runGate = (instances: readonly StubInstance[], input: ClusterGateInput = gate) => runAgainstSsmStub(renderClusterGateScript(input), instances);

describe("pre-disruption gate (deployer side)", () => {
  test("cluster-gate.sh passes shellcheck as a file, cluster-health-check and the rendered gate as scripts", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const file = checkShellScriptFileWithSources(join(__dirname, "../../../src/core/aws/scripts/cluster-gate.sh"));
    assert.ok(file.passed, file.output);
    const rendered = checkShellScript(renderClusterGateScript(gate), "sh");
    assert.ok(rendered.passed, rendered.output);
    const memberSide = checkShellScript(clusterHealthCheckScript());
    assert.ok(memberSide.passed, memberSide.output);
  });

  test("passes at once, sending nothing, when the member has no instance (a new cluster, a scale-up)", () => {
    const run = runGate([instance(0, PASSES)]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /etcd member etcd-test-1 has no instance: nothing to disrupt/);
    assert.deepEqual(run.sent, []);
  });

  test("asks another member's instance first, with the check for this member and an execution timeout", () => {
    const run = runGate([instance(0, PASSES), instance(1, PASSES), instance(2, PASSES)]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.sent.length, 1);
    assert.equal(run.sent[0]?.instance, "i-0");
    const expected = clusterHealthCheckSsmCommand("etcd-test-1");
    assert.deepEqual(run.sent[0]?.parameters, { commands: expected.commands, executionTimeout: ["45"] });
    assert.match(run.stdout, /PASSED: every voter but etcd-test-1 healthy/);
    assert.match(run.stdout, /the cluster can lose etcd member etcd-test-1 now \(asked through i-0, attempt 1\/2\)/);
  });

  test("a refusal stops pulumi up after the last attempt, with the member's reasons", () => {
    const run = runGate([instance(0, REFUSES), instance(1, PASSES), instance(2, REFUSES)]);
    assert.equal(run.status, 1);
    assert.equal(run.sent.length, 2, "one refusal per attempt: a verdict needs no second member");
    assert.match(run.stdout, /may not be disrupted yet \(attempt 1\/2\)/);
    assert.match(run.stderr, /REFUSED: etcd member etcd-test-2 \(https:\/\/10\.0\.2\.10:2379\) is not healthy/);
    assert.match(run.stderr, /pulumi up stops before etcd member etcd-test-1's instance is replaced or stopped/);
  });

  test("skips a member whose SSM agent is not registered, or where the check cannot run, for the next", () => {
    const run = runGate([instance(0, undefined), instance(2, CANNOT_CHECK), instance(3, PASSES), instance(1, PASSES)]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      run.sent.map((sent) => sent.instance),
      ["i-2", "i-3"],
    );
  });

  test("asks the member's own instance last, when no other member runs", () => {
    const run = runGate([instance(0, PASSES, "stopped"), instance(1, PASSES), instance(2, PASSES, "pending")]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      run.sent.map((sent) => sent.instance),
      ["i-1"],
    );
  });

  test("ignores another cluster's instances", () => {
    const run = runGate([instance(0, PASSES, "running", "etcd-other"), instance(1, undefined)]);
    assert.equal(run.status, 1);
    assert.deepEqual(run.sent, []);
    assert.match(run.stderr, /no running member of the cluster could run the check/);
  });

  test("refuses when no member can run the check", () => {
    const run = runGate([instance(0, CANNOT_CHECK), instance(1, undefined), instance(2, undefined)]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /no running member of the cluster could run the check/);
    assert.match(run.stderr, /pulumi up stops before etcd member etcd-test-1's instance is replaced or stopped/);
  });
});
