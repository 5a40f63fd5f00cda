/**
 * Test cluster stacks are named `test-<name>`; their cluster, by the default `etcd-<stack>`, is
 * `etcd-test-<name>`, and that name ends up in every resource name, tag and SSM path, so it must
 * pass the cluster-name rule (src/core/config/formats.ts, MAX_CLUSTER_NAME_LENGTH).
 */
import { clusterNameProblem, MAX_CLUSTER_NAME_LENGTH } from "../../src/core/config/formats";

export const TEST_STACK_PREFIX = "test-";

/** The longest name: the rest of MAX_CLUSTER_NAME_LENGTH after `etcd-test-`. */
export const MAX_TEST_CLUSTER_NAME_LENGTH = MAX_CLUSTER_NAME_LENGTH - `etcd-${TEST_STACK_PREFIX}`.length;

/** The stack this test cluster lives in; fails with the rule when the name breaks it. */
export function testStackName(name: string): string {
  const stack = `${TEST_STACK_PREFIX}${name}`;
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(name) || clusterNameProblem(`etcd-${stack}`) !== undefined) {
    throw new Error(
      `test cluster name "${name}": use 1 to ${MAX_TEST_CLUSTER_NAME_LENGTH} lowercase letters, digits and hyphens, starting and ` +
        `ending with a letter or digit (the cluster is named etcd-${TEST_STACK_PREFIX}<name>, at most ${MAX_CLUSTER_NAME_LENGTH} characters), e.g. pr-123`,
    );
  }
  return stack;
}

/** True for a stack this command may destroy: `test-<name>`, the organization prefix (`org/`) ignored. */
export function isTestStack(stack: string): boolean {
  return unqualifiedStackName(stack).startsWith(TEST_STACK_PREFIX);
}

/** `org/project/stack` or `org/stack` → `stack`. */
export function unqualifiedStackName(stack: string): string {
  return stack.slice(stack.lastIndexOf("/") + 1);
}
