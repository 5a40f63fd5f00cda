/**
 * Defect 11: the gates' SSM commands end before `aws ssm wait` gives up, and the worst case the
 * README documents is the one the limits give.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { clusterHealthCheckSsmCommand } from "../../../src/core/aws/cluster-gate-command";
import { DEFAULT_HEALTH_GATE_LIMITS, DEFAULT_PRE_DISRUPTION_GATE_LIMITS, gateWorstCaseSeconds } from "../../../src/core/aws/gate-limits";
import { healthCheckSsmCommand } from "../../../src/core/aws/health-gate-command";
import { memberRemovalSsmCommand } from "../../../src/core/aws/member-removal-command";
import { SSM_COMMAND_WAITER, ssmCommandLifetimeSeconds, ssmShellParameters, ssmWaiterSpanSeconds } from "../../../src/core/aws/ssm-run-command";

const WAITERS_FILE = "/usr/lib/python3/dist-packages/botocore/data/ssm/2014-11-06/waiters-2.json";
const README = readFileSync(join(__dirname, "../../../README.md"), "utf8");

const everyCommand = [
  ["health check (healthy)", healthCheckSsmCommand("healthy")],
  ["health check (started)", healthCheckSsmCommand("started")],
  ["pre-disruption check", clusterHealthCheckSsmCommand("etcd-prod-1")],
  ["member removal", memberRemovalSsmCommand("etcd-prod-4", "https://10.0.1.10:2380")],
] as const;

test("the waiter's bounds are botocore's CommandExecuted waiter's", (t) => {
  if (!existsSync(WAITERS_FILE)) {
    if (process.env["CI"]) throw new Error(`${WAITERS_FILE} is missing (python3-botocore; .ci/run installs it)`);
    t.skip("python3-botocore is not installed");
    return;
  }
  const waiter = (JSON.parse(readFileSync(WAITERS_FILE, "utf8")) as { waiters: Record<string, { delay: number; maxAttempts: number }> }).waiters["CommandExecuted"];
  assert.deepEqual({ delaySeconds: waiter?.delay, maxAttempts: waiter?.maxAttempts }, SSM_COMMAND_WAITER);
  assert.equal(ssmWaiterSpanSeconds(), 95);
});

test("every SSM command a gate or removal sends ends before aws ssm wait gives up", () => {
  for (const [name, command] of everyCommand) {
    assert.ok(ssmCommandLifetimeSeconds(command) <= ssmWaiterSpanSeconds(), `${name}: ${ssmCommandLifetimeSeconds(command)} s`);
    assert.deepEqual((JSON.parse(ssmShellParameters(command)) as { executionTimeout?: unknown }).executionTimeout, [String(command.executionTimeoutSeconds)], name);
  }
});

test("a command that could outlive the waiter is refused when rendered", () => {
  assert.throws(
    () => ssmShellParameters({ commands: ["sleep 100"], executionTimeoutSeconds: 61 }),
    /can outlive aws ssm wait command-executed \(95 s\): at most 60 s/,
  );
});

test("a health gate gives up at the latest 965 s after it starts: its timeout plus one attempt", () => {
  // 900 s without starting a new attempt, then one attempt: delivery 30 s + execution 30 s + one 5 s poll.
  assert.equal(gateWorstCaseSeconds(DEFAULT_HEALTH_GATE_LIMITS, healthCheckSsmCommand("healthy")), 965);
});

test("with few attempts, the attempts bound the gate rather than its timeout", () => {
  const limits = { maxAttempts: 2, retryIntervalSeconds: 10, timeoutSeconds: 900 };
  assert.equal(gateWorstCaseSeconds(limits, healthCheckSsmCommand("healthy")), 2 * 65 + 10);
});

test("a pre-disruption gate gives up at the latest after 360 s (3 members) to 680 s (7 members)", () => {
  const command = clusterHealthCheckSsmCommand("etcd-prod-1");
  assert.equal(gateWorstCaseSeconds(DEFAULT_PRE_DISRUPTION_GATE_LIMITS, command, 3), 360);
  assert.equal(gateWorstCaseSeconds(DEFAULT_PRE_DISRUPTION_GATE_LIMITS, command, 7), 680);
});

test("the README documents the bounds the limits give", () => {
  const health = gateWorstCaseSeconds(DEFAULT_HEALTH_GATE_LIMITS, healthCheckSsmCommand("healthy"));
  const preDisruption = [3, 7].map((members) => gateWorstCaseSeconds(DEFAULT_PRE_DISRUPTION_GATE_LIMITS, clusterHealthCheckSsmCommand("m"), members));
  // The phrases as written, wherever the paragraph's lines break.
  const phrase = (text: string) => new RegExp(text.replace(/[()]/g, "\\$&").split(" ").join("\\s+"));
  assert.match(README, phrase(`a health gate fails \`pulumi up\` at the latest ${health} s after it started`));
  assert.match(README, phrase(`a pre-disruption gate at the latest ${preDisruption[0]} s (3 members) to ${preDisruption[1]} s (7 members)`));
});
