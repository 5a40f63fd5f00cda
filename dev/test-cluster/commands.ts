/**
 * create, destroy and sweep of test clusters, over the stack operations and the snapshot store
 * (interfaces, so the order of what they do is tested with doubles). Every decision is made before
 * the first change: names, lifetime and config are validated before a stack exists; a destroy
 * refuses a stack that is not `test-<name>` or holds protected resources before anything is gone.
 */
import { rmSync, writeFileSync } from "node:fs";
import { readStackFileConfig, stackFilePath } from "../mock-runtime/stack-files";
import { deleteClusterSnapshots, type SnapshotStore } from "./cluster-snapshots";
import { expiryTime, parseLifetime, STACK_TAGS } from "./expiry";
import { isTestStack, testStackName, unqualifiedStackName } from "./naming";
import { protectedStackRefusal } from "./protection";
import type { TestClusterStacks } from "./pulumi-stacks";
import { clusterIdentityFromState } from "./state-identity";
import { selectExpiredStacks } from "./sweep-selection";
import { testStackConfig, testStackFileText } from "./test-stack-config";

/** The stack test clusters are made from. */
export const SOURCE_STACK = "dev";

export interface CommandContext {
  /** The stack operations, looked up at the first use: validation comes first and needs no Pulumi CLI. */
  readonly stacks: () => Promise<TestClusterStacks>;
  /** The snapshot store of a region. */
  readonly snapshots: (region: string) => SnapshotStore;
  readonly now: () => Date;
  readonly log: (line: string) => void;
  /** Where stack files live: the project's stacks/ (a scratch copy in tests). */
  readonly stacksDir: string;
}

/** Writes stacks/Pulumi.test-<name>.yaml from the dev stack, tags the stack with its expiry, then `pulumi up`. */
export async function createTestCluster(context: CommandContext, name: string, lifetime: string): Promise<string> {
  const stack = testStackName(name);
  const expiresAt = expiryTime(context.now(), parseLifetime(lifetime));
  const settings = { name, stack, source: SOURCE_STACK, expiresAt };
  const config = testStackConfig(readStackFileConfig(SOURCE_STACK, context.stacksDir), settings);
  const stacks = await context.stacks();
  writeFileSync(stackFilePath(stack, context.stacksDir), testStackFileText(config, settings));
  // Tagged before `up`: a create that fails halfway is still found and destroyed by the sweep.
  await stacks.createOrSelect(stack, { [STACK_TAGS.expiresAt]: expiresAt, [STACK_TAGS.createdFrom]: SOURCE_STACK });
  context.log(`test-cluster: stack ${stack} expires at ${expiresAt}; pulumi up`);
  await stacks.up(stack);
  return stack;
}

/**
 * Destroys a test stack and removes it, then deletes the DLM snapshots of its cluster (outside
 * Pulumi's state). Refuses, before any change, a stack not named test-<name> or one holding
 * protected or retained resources.
 */
export async function destroyTestCluster(context: CommandContext, stack: string): Promise<void> {
  if (!isTestStack(stack)) throw new Error(`refusing to destroy stack ${stack}: npm run test-cluster destroys only test-<name> stacks`);
  const stacks = await context.stacks();
  const state = await stacks.stateResources(stack);
  const refusal = protectedStackRefusal(stack, state);
  if (refusal !== undefined) throw new Error(refusal);
  const identity = clusterIdentityFromState(state);
  context.log(`test-cluster: pulumi destroy ${stack}`);
  await stacks.destroy(stack);
  if (identity !== undefined) {
    const deleted = await deleteClusterSnapshots(context.snapshots(identity.region), identity.cluster);
    context.log(`test-cluster: deleted ${deleted.length} DLM snapshot(s) of ${identity.cluster}${deleted.length > 0 ? `: ${deleted.join(", ")}` : ""}`);
  }
  await stacks.remove(stack);
  rmSync(stackFilePath(unqualifiedStackName(stack), context.stacksDir), { force: true });
  context.log(`test-cluster: removed stack ${stack}`);
}

/** Destroys every expired test stack; one failure does not stop the others. Returns the failures. */
export async function sweepTestClusters(context: CommandContext): Promise<string[]> {
  const selection = selectExpiredStacks(await (await context.stacks()).list(), context.now());
  for (const { stack, reason } of selection.kept) context.log(`test-cluster: keeping ${stack}: ${reason}`);
  const failures: string[] = [];
  for (const stack of selection.destroy) {
    try {
      await destroyTestCluster(context, unqualifiedStackName(stack));
    } catch (error) {
      failures.push(`${stack}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failures;
}
