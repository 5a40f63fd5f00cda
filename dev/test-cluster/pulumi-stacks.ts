/**
 * The stack operations of the test-cluster command, through Pulumi's Automation API
 * (`@pulumi/pulumi/automation`) on this project's directory. The Automation API drives the Pulumi
 * CLI, which must be on PATH (the workflow installs it with pulumi/actions); without it every
 * command stops with a message saying so before it touches anything.
 */
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { PROJECT_DIR } from "../mock-runtime/project-file";
import type { StateResource } from "./state-identity";
import type { StackWithTags } from "./sweep-selection";

/** What create, destroy and sweep do to stacks; a test double stands in for it in tests. */
export interface TestClusterStacks {
  /** Creates the stack, or selects it when it exists, and sets its tags. Its stack file must exist. */
  createOrSelect(stack: string, tags: Readonly<Record<string, string>>): Promise<void>;
  /** `pulumi up`, output streamed. */
  up(stack: string): Promise<void>;
  /** The project's stacks with their tags. */
  list(): Promise<StackWithTags[]>;
  /** The resources in the stack's state (`pulumi stack export`). */
  stateResources(stack: string): Promise<StateResource[]>;
  /** `pulumi destroy`, output streamed. */
  destroy(stack: string): Promise<void>;
  /** `pulumi stack rm`: the stack, its history and its stack file. */
  remove(stack: string): Promise<void>;
}

export const PULUMI_CLI_MISSING =
  "the Pulumi CLI is not on PATH: npm run test-cluster drives it through Pulumi's Automation API. Install it " +
  "(https://www.pulumi.com/docs/install/) and log in to the backend that holds the stacks, or run the Test clusters workflow, " +
  "which installs it.";

/** The Automation API on this project; `org` qualifies stack names for Pulumi Cloud (`org/test-x`). */
export async function pulumiStacks(org: string | undefined): Promise<TestClusterStacks> {
  let pulumiCommand: PulumiCommand;
  try {
    pulumiCommand = await PulumiCommand.get();
  } catch {
    throw new Error(PULUMI_CLI_MISSING);
  }
  const workspace = await LocalWorkspace.create({ workDir: PROJECT_DIR, pulumiCommand });
  const qualified = (stack: string) => (org === undefined ? stack : `${org}/${stack}`);
  const select = (stack: string): Promise<Stack> => LocalWorkspace.selectStack({ stackName: qualified(stack), workDir: PROJECT_DIR }, { pulumiCommand });
  const onOutput = (out: string) => process.stdout.write(out);
  return {
    async createOrSelect(stack, tags) {
      const selected = await LocalWorkspace.createOrSelectStack({ stackName: qualified(stack), workDir: PROJECT_DIR }, { pulumiCommand });
      for (const [key, value] of Object.entries(tags)) await selected.setTag(key, value);
    },
    async up(stack) {
      await (await select(stack)).up({ onOutput });
    },
    async list() {
      const summaries = await workspace.listStacks();
      return Promise.all(summaries.map(async (summary) => ({ name: summary.name, tags: { ...(await workspace.listTags(summary.name)) } })));
    },
    async stateResources(stack) {
      const exported = await (await select(stack)).exportStack();
      return ((exported.deployment as { resources?: StateResource[] } | undefined)?.resources ?? []).map((resource) => ({ ...resource }));
    },
    async destroy(stack) {
      await (await select(stack)).destroy({ onOutput });
    },
    async remove(stack) {
      await workspace.removeStack(qualified(stack));
    },
  };
}
