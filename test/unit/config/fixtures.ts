/** Shared inputs of the config tests: a minimal valid stack config and a way to collect its problems. */
import assert from "node:assert/strict";
import { ClusterConfigError, resolveClusterConfig, type ConfigProblem } from "../../../src/core/config";

export const SUBNET_A = "subnet-0a1b2c3d4e5f60718";
export const SUBNET_B = "subnet-0b1b2c3d4e5f60718";
export const SUBNET_C = "subnet-0c1b2c3d4e5f60718";

/** The smallest valid stack config: everything else defaults. */
export const MINIMAL_CONFIG: Readonly<Record<string, unknown>> = {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  subnetIds: [SUBNET_A, SUBNET_B, SUBNET_C],
};

export function configWith(overrides: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...MINIMAL_CONFIG, ...overrides };
}

/** The problems resolveClusterConfig throws for this config (fails the test when it does not throw). */
export function problemsOf(raw: Readonly<Record<string, unknown>>, stack = "test"): readonly ConfigProblem[] {
  try {
    resolveClusterConfig(raw, stack);
  } catch (error) {
    if (error instanceof ClusterConfigError) return error.problems;
    throw error;
  }
  return assert.fail("expected a ClusterConfigError");
}

/** The only problem of this config. */
export function onlyProblemOf(raw: Readonly<Record<string, unknown>>, stack = "test"): ConfigProblem {
  const problems = problemsOf(raw, stack);
  assert.equal(problems.length, 1, `expected one problem, got:\n${problems.map((problem) => problem.message).join("\n")}`);
  return problems[0];
}
