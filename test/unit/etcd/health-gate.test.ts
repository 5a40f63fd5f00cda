import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { checkShellScript, checkShellScriptFileWithSources, toolAvailable } from "../../support/linters";
import { runAgainstSsmStub, type StubInstance } from "../../support/ssm-stub";
import {
  bootstrapGateCondition,
  healthCheckSsmCommand,
  memberHealthCheckCommand,
  renderHealthGateScript,
  type HealthGateInput,
} from "../../../src/core/aws/health-gate-command";
import { BOOT_FAILED_STATUS } from "../../../src/core/member/ports-and-paths";
import { renderFinishBootScript } from "../../../src/core/member/scripts/finish-boot-script";

const gate: HealthGateInput = {
  memberName: "etcd-prod-1",
  condition: "healthy",
  limits: { maxAttempts: 3, retryIntervalSeconds: 0, timeoutSeconds: 600 },
};
const INSTANCE_ID = "i-0123456789abcdef0";

/** The member's instance; `host` decides what the check does there (absent: SSM agent not registered). */
const member = (host?: string): StubInstance => ({ id: INSTANCE_ID, state: "running", tags: { "etcd:member": "etcd-prod-1" }, host });
/** A host whose check fails `failures` times, then passes (a counter file beside the host). */
const passesAfter = (failures: number) =>
  `count_file="$(dirname "$0")/count"; n=$(($(cat "$count_file" 2>/dev/null || echo 0) + 1)); echo "$n" >"$count_file"; [ "$n" -gt ${failures} ]`;

const runGate = (input: HealthGateInput, instance: StubInstance) => runAgainstSsmStub(renderHealthGateScript(input), [instance], { INSTANCE_ID });

test("health-gate.sh passes shellcheck as a file, and the rendered gate as POSIX sh", (t) => {
  if (!toolAvailable(t, "shellcheck")) return;
  const file = checkShellScriptFileWithSources(join(__dirname, "../../../src/core/aws/scripts/health-gate.sh"));
  assert.ok(file.passed, file.output);
  for (const condition of ["healthy", "started"] as const) {
    const report = checkShellScript(renderHealthGateScript({ ...gate, condition }), "sh");
    assert.ok(report.passed, report.output);
  }
});

test("the rendered gate starts with its settings as readonly lines", () => {
  const lines = renderHealthGateScript(gate).split("\n");
  assert.equal(lines[0], "#!/bin/sh");
  assert.ok(lines.includes("readonly MEMBER='etcd-prod-1'"), lines.slice(0, 12).join("\n"));
  assert.ok(lines.includes("readonly TIMEOUT_SECONDS=600"));
  assert.ok(lines.includes("readonly SSM_DELIVERY_TIMEOUT_SECONDS=30"));
});

test("a healthy member passes the gate on the first attempt and says so", () => {
  const run = runGate(gate, member("true"));
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /etcd member etcd-prod-1 \(i-0123456789abcdef0\) is healthy \(attempt 1\/3\)/);
});

test("the check runs on the member's instance through AWS-RunShellScript, with an execution timeout of its own", () => {
  const run = runGate(gate, member("true"));
  assert.equal(run.sent.length, 1);
  assert.equal(run.sent[0]?.instance, INSTANCE_ID);
  assert.deepEqual(run.sent[0]?.parameters, { commands: [memberHealthCheckCommand("healthy")], executionTimeout: ["30"] });
});

test("the gate retries while the check fails on the member, with a progress line per attempt", () => {
  const run = runGate(gate, member(passesAfter(2)));
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /not healthy yet \(attempt 2\/3\)/);
  assert.match(run.stdout, /is healthy \(attempt 3\/3\)/);
});

test("while the instance's SSM agent is not registered, the gate retries, then gives up pointing at cloud-init's output log", () => {
  const run = runGate(gate, member());
  assert.equal(run.status, 1);
  assert.equal(run.sent.length, 0);
  assert.match(run.stdout, /not healthy yet \(attempt 2\/3\)/);
  assert.match(run.stderr, /was not healthy after 3 attempt\(s\)/);
  assert.match(run.stderr, /A failed boot is in \/var\/log\/cloud-init-output\.log on the instance, etcd's own log in journalctl -u etcd/);
});

/** A member whose boot failed for good: the check prints the boot's reason and exits 3 (etcd-finish-boot). */
const failedForGood = `echo "etcd-finish-boot: the boot failed for good" >&2; echo "etcd-join-cluster: refused: run 'etcd-replace-member && etcd-member-boot'" >&2; exit 3`;

test("a check that reports the boot failed for good (exit 3) stops the gate at its first attempt, with the boot's reason and the way out", () => {
  const run = runGate(gate, member(failedForGood));
  assert.equal(run.status, 1);
  assert.equal(run.sent.length, 1);
  assert.doesNotMatch(run.stdout, /not healthy yet/);
  assert.match(run.stderr, /etcd-join-cluster: refused: run 'etcd-replace-member && etcd-member-boot'/);
  assert.match(run.stderr, /etcd member etcd-prod-1 \(i-0123456789abcdef0\): its boot failed for good \(attempt 1\/3\).*then run pulumi up again\n$/);
});

test("the started gate stops the same way on a boot that failed for good", () => {
  const run = runGate({ ...gate, condition: "started" }, member(failedForGood));
  assert.equal(run.status, 1);
  assert.equal(run.sent.length, 1);
  assert.match(run.stderr, /its boot failed for good \(attempt 1\/3\)/);
});

test("any other failing status of the check is retried, whatever the check printed", () => {
  const run = runGate(gate, member(`echo "the boot failed for good" >&2; exit 1`));
  assert.equal(run.status, 1);
  assert.equal(run.sent.length, 3);
  assert.doesNotMatch(run.stderr, /its boot failed for good/);
});

test("the gate starts no attempt after its timeout, whatever attempts are left", () => {
  const run = runGate({ ...gate, limits: { maxAttempts: 5, retryIntervalSeconds: 1, timeoutSeconds: 0 } }, member("false"));
  assert.equal(run.status, 1);
  assert.equal(run.sent.length, 1);
  assert.match(run.stderr, /after 1 attempt\(s\) \(limits: 5 attempts, 0s\)/);
});

test("without INSTANCE_ID the script stops before calling AWS", () => {
  const result = spawnSync("/bin/sh", ["-c", renderHealthGateScript(gate)], { env: { PATH: "/usr/bin:/bin" }, encoding: "utf8" });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /INSTANCE_ID must be the member instance ID/);
});

test("healthy runs the installed etcd-finish-boot once, with etcd's binaries on its PATH: it passes a completed boot and finishes one that started etcd", () => {
  assert.equal(memberHealthCheckCommand("healthy"), "PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin '/usr/local/sbin/etcd-finish-boot' --once");
});

test("the rendered gate knows the check's failed-for-good status as etcd-finish-boot renders it", () => {
  assert.ok(renderHealthGateScript(gate).split("\n").includes(`readonly BOOT_FAILED_STATUS=${BOOT_FAILED_STATUS}`));
  assert.ok(renderFinishBootScript().split("\n").includes(`readonly BOOT_FAILED_STATUS=${BOOT_FAILED_STATUS}`));
});

test("a started check runs within 15 s, a healthy check (which may promote) within 30 s", () => {
  assert.deepEqual(
    (["started", "healthy"] as const).map((condition) => healthCheckSsmCommand(condition).executionTimeoutSeconds),
    [15, 30],
  );
});

test("started runs the installed etcd-finish-boot --started: any answer from /health passes, a 503 without a leader too (finish-boot.test.ts)", () => {
  assert.equal(memberHealthCheckCommand("started"), "PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin '/usr/local/sbin/etcd-finish-boot' --started");
});

test("while a 3-member cluster bootstraps, the first member need only start and the second completes the quorum", () => {
  assert.deepEqual(
    [0, 1, 2].map((index) => bootstrapGateCondition(index, 2)),
    ["started", "healthy", "healthy"],
  );
});

test("while a 5-member cluster bootstraps, the first two members need only start", () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((index) => bootstrapGateCondition(index, 3)),
    ["started", "started", "healthy", "healthy", "healthy"],
  );
});

test("a single member is its own quorum and must be healthy", () => {
  assert.equal(bootstrapGateCondition(0, 1), "healthy");
});
