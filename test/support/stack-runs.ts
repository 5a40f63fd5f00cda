/**
 * The graph tests' frame: a describe block per stack file in stacks/ and run mode, whose tests
 * share one offline run of index.ts (run in a `before` hook) and the stack's resolved config, which
 * says what the graph must contain.
 */
import { before, describe } from "node:test";
import { resolveClusterConfig } from "../../src/core/config/resolve";
import type { ClusterConfig } from "../../src/core/config/types";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { readStackConfig, readStackFileConfig, stackNames } from "../../dev/mock-runtime/stack-files";
import { programRun, RUN_MODES, type RunMode } from "./program-runs";

export interface StackRunContext {
  /** Stack name: stacks/Pulumi.<stack>.yaml. */
  readonly stack: string;
  /** Whether the run was a preview or an update. */
  readonly mode: RunMode;
  /** The stack's config after validation and defaults: the expected values. */
  readonly config: ClusterConfig;
  /** `aws:region` of the stack. */
  readonly region: string;
  /** The run; call it inside tests, once the `before` hook has run the program (a property: tests destructure it). */
  readonly run: () => ProgramRun;
}

/**
 * Declares `body`'s tests once per stack file and mode (default: preview and update), titled
 * `<title> (stack <stack>, <mode>)`.
 */
export function describeEachStackRun(title: string, body: (context: StackRunContext) => void, modes: readonly RunMode[] = RUN_MODES): void {
  for (const stack of stackNames()) {
    const config = resolveClusterConfig(readStackConfig(stack), stack).config;
    const region = String(readStackFileConfig(stack)["aws:region"]);
    for (const mode of modes) {
      describe(`${title} (stack ${stack}, ${mode})`, () => {
        let completed: ProgramRun | undefined;
        before(async () => {
          completed = await programRun(stack, mode);
        });
        body({
          stack,
          mode,
          config,
          region,
          run() {
            if (completed === undefined) throw new Error(`the ${mode} run of stack ${stack} failed or has not finished`);
            return completed;
          },
        });
      });
    }
  }
}
