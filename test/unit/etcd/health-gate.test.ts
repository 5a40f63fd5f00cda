import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkShellScript, toolAvailable } from "../../support/linters";
import {
  bootstrapGateCondition,
  memberHealthCheckCommand,
  renderHealthGateScript,
  type HealthGateInput,
} from "../../../src/core/aws/health-gate-command";

const gate: HealthGateInput = {
  memberName: "etcd-prod-1",
  condition: "healthy",
  limits: { maxAttempts: 3, retryIntervalSeconds: 0 },
};

/**
 * How one attempt goes: the SSM agent has not registered yet (send-command fails), the check ran
 * and failed on the member (the waiter reports a failed command), or the member passed.
 */
type AttemptOutcome = "unregistered" | "unhealthy" | "passed";

/** A stand-in `aws` CLI that logs its arguments to calls.log and plays `outcomes`, one per attempt. */
function fakeAwsCli(dir: string, outcomes: readonly AttemptOutcome[]): void {
  writeFileSync(join(dir, "outcomes"), outcomes.join("\n") + "\n");
  const script = `#!/bin/sh
printf '%s\\n' "$*" >> "${dir}/calls.log"
n=$(grep -c '^ssm send-command' "${dir}/calls.log")
outcome=$(sed -n "\${n}p" "${dir}/outcomes")
case "$2" in
  send-command)
    if [ "$outcome" = unregistered ]; then echo "An error occurred (InvalidInstanceId)" >&2; exit 254; fi
    echo "cmd-$n" ;;
  wait)
    if [ "$outcome" = unhealthy ]; then echo "Waiter CommandExecuted failed" >&2; exit 255; fi ;;
  *) exit 2 ;;
esac
`;
  writeFileSync(join(dir, "aws"), script);
  chmodSync(join(dir, "aws"), 0o755);
}

function runGate(input: HealthGateInput, outcomes: readonly AttemptOutcome[]) {
  const dir = mkdtempSync(join(tmpdir(), "health-gate-"));
  try {
    fakeAwsCli(dir, outcomes);
    const result = spawnSync("/bin/sh", ["-c", renderHealthGateScript(input)], {
      env: { PATH: `${dir}:${process.env.PATH ?? ""}`, INSTANCE_ID: "i-0123456789abcdef0" },
      encoding: "utf8",
    });
    const calls = readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n");
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the rendered gate script passes shellcheck", (t) => {
  if (!toolAvailable(t, "shellcheck")) return;
  for (const condition of ["healthy", "started"] as const) {
    const report = checkShellScript(renderHealthGateScript({ ...gate, condition }), "sh");
    assert.ok(report.passed, report.output);
  }
});

test("a healthy member passes the gate on the first attempt and says so", () => {
  const run = runGate(gate, ["passed"]);
  assert.equal(run.status, 0);
  assert.match(run.stdout, /etcd member etcd-prod-1 \(i-0123456789abcdef0\) is healthy \(attempt 1\/3\)/);
});

test("the gate retries while the instance's SSM agent is not registered yet, with a progress line per attempt", () => {
  const run = runGate(gate, ["unregistered", "passed"]);
  assert.equal(run.status, 0);
  assert.match(run.stdout, /not healthy yet \(attempt 1\/3\)/);
  assert.match(run.stdout, /is healthy \(attempt 2\/3\)/);
});

test("the gate retries while the check fails on the member", () => {
  const run = runGate(gate, ["unhealthy", "unhealthy", "passed"]);
  assert.equal(run.status, 0);
  assert.match(run.stdout, /not healthy yet \(attempt 2\/3\)/);
  assert.match(run.stdout, /is healthy \(attempt 3\/3\)/);
});

test("the gate gives up after maxAttempts with a non-zero exit and a pointer to the journal", () => {
  const run = runGate(gate, ["unregistered", "unhealthy", "unhealthy", "passed"]);
  assert.equal(run.status, 1);
  assert.equal(run.calls.filter((call) => call.startsWith("ssm send-command")).length, 3);
  assert.match(run.stderr, /was not healthy after 3 attempts; see its journal: journalctl -u etcd/);
});

test("the check reaches the member's instance through AWS-RunShellScript and waits for that command", () => {
  const run = runGate(gate, ["passed"]);
  assert.match(run.calls[0] ?? "", /^ssm send-command --instance-ids i-0123456789abcdef0 --document-name AWS-RunShellScript /);
  assert.ok(run.calls[0]?.includes(JSON.stringify({ commands: [memberHealthCheckCommand("healthy")] })));
  assert.equal(run.calls[1], "ssm wait command-executed --command-id cmd-1 --instance-id i-0123456789abcdef0");
});

test("without INSTANCE_ID the script stops before calling AWS", () => {
  const result = spawnSync("/bin/sh", ["-c", renderHealthGateScript(gate)], { env: { PATH: "/usr/bin:/bin" }, encoding: "utf8" });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /INSTANCE_ID must be the member instance ID/);
});

test("healthy means the boot completed and etcd's /health on the loopback metrics listener reports true", () => {
  assert.equal(
    memberHealthCheckCommand("healthy"),
    `test -f '/var/lib/etcd/boot-complete' && curl -fsS --max-time 5 http://127.0.0.1:2381/health | grep -q '"health":"true"'`,
  );
});

test("started accepts any HTTP answer from /health, including 503 while there is no leader yet", () => {
  // No --fail: a 503 is an answer, only no answer at all (etcd not listening) fails the check.
  assert.equal(memberHealthCheckCommand("started"), "curl -sS --max-time 5 -o /dev/null http://127.0.0.1:2381/health");
});

test("while a 3-member cluster bootstraps, the first member need only start and the second completes the quorum", () => {
  assert.deepEqual([0, 1, 2].map((index) => bootstrapGateCondition(index, 2)), ["started", "healthy", "healthy"]);
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
