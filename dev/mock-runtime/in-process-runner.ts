/**
 * Runs a Pulumi program in this process under `pulumi.runtime.setMocks`, the way the Node.js
 * language host runs it for `pulumi preview`/`pulumi up` (pulumi/cmd/run/run.ts): config set,
 * the entry module required inside a root Stack resource, its exports becoming stack outputs,
 * and the run over only when every resource registration has settled.
 *
 * Runs happen in-process, one after another, rather than in child processes: the options carry
 * functions (a TlsEmulator doing real cryptography, an address plan for loopback members) that
 * cannot cross a process boundary, and a child per run would pay the SDK's start-up each time.
 * Isolation between runs: `setMocks` resets the SDK's per-run state (stack resource, monitor,
 * pending registrations), `setAllConfig` replaces the config, and the modules a run loaded are
 * dropped from the module cache afterwards, so each run evaluates the program afresh as a new
 * process would. Runs must not overlap: the SDK keeps one global run state.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ProgramDiagnostic, ProgramInvoke, ProgramRun } from "./run-record";
import { capturingPulumiLog } from "./pulumi-log-capture";
import { RegistrationRecorder, installedMockMonitor } from "./recording-monitor";

export interface PulumiProgramRunOptions {
  /** Absolute path of the program's entry module (a project's `index.ts`). */
  readonly programPath: string;
  /** Pulumi project name (`name` in Pulumi.yaml); part of every URN. */
  readonly project: string;
  /** Stack name; part of every URN and what `pulumi.getStack()` returns. */
  readonly stack: string;
  /** Run as `pulumi preview` (true) or `pulumi up` (false). */
  readonly preview: boolean;
  /** Config as the CLI hands it to the program: namespaced keys, string values (objects as JSON). */
  readonly config: Readonly<Record<string, string>>;
  /** Answers for resources and invokes (offline-mocks.ts). */
  readonly mocks: pulumi.runtime.Mocks;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** Runs the program once; rejects with the program's error or with every unhandled failure of the run. */
export async function runPulumiProgram(options: PulumiProgramRunOptions): Promise<ProgramRun> {
  const recorder = new RegistrationRecorder();
  const diagnostics: ProgramDiagnostic[] = [];
  const invokes: ProgramInvoke[] = [];
  const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => options.mocks.newResource(args),
    call: (args) => {
      invokes.push({ token: args.token, inputs: { ...(args.inputs as Record<string, unknown>) } });
      return options.mocks.call(args);
    },
  };
  await pulumi.runtime.setMocks(mocks, options.project, options.stack, options.preview);
  pulumi.runtime.setAllConfig({ ...options.config });
  recorder.attachTo(installedMockMonitor());

  await capturingPulumiLog(diagnostics, () =>
    failingOnUnhandledRejections(() =>
      forgettingModulesLoadedBy(options.programPath, async () => {
        try {
          await pulumi.runtime.runInPulumiStack(() => {
            // require, not import(): forgettingModulesLoadedBy drops the program's modules from require.cache.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const exported: unknown = require(options.programPath);
            return Promise.resolve(typeof exported === "function" ? (exported as () => unknown)() : exported);
          });
        } finally {
          // Registrations started from apply callbacks may still be in flight after the exports
          // resolved (or the program failed); the next run must not receive them.
          await pulumi.runtime.disconnect();
        }
      }),
    ),
  );
  if (pulumi.log.hasErrors()) {
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error").map((d) => d.message);
    throw new Error(`the program logged errors:\n${errors.join("\n")}`);
  }

  const stackResource = recorder.resources.find((resource) => resource.type === STACK_TYPE);
  return {
    stack: options.stack,
    preview: options.preview,
    resources: recorder.resources,
    outputs: stackResource?.state ?? {},
    diagnostics,
    invokes,
  };
}

/**
 * Runs `body` and then drops from the module cache every module it loaded (dependencies in
 * node_modules excepted: they hold the SDK's state), so the next run evaluates the program afresh.
 * Modules the caller had loaded before stay shared with the program; the entry module never is.
 */
async function forgettingModulesLoadedBy<T>(programPath: string, body: () => Promise<T>): Promise<T> {
  delete require.cache[require.resolve(programPath)];
  const loadedBefore = new Set(Object.keys(require.cache));
  try {
    return await body();
  } finally {
    for (const loaded of Object.keys(require.cache)) {
      if (!loadedBefore.has(loaded) && !loaded.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[loaded];
    }
  }
}

/**
 * Resource registrations that fail (a mock that throws, an apply that throws) reject promises
 * nobody awaits; the language host turns those into a failed run, and so does this. While the
 * program runs, its unhandled rejections are its own: other listeners (a test runner's) are set
 * aside, so a failure is reported once, as the run's.
 */
async function failingOnUnhandledRejections(body: () => Promise<void>): Promise<void> {
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  const otherListeners = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", onRejection);
  try {
    await body();
  } finally {
    // Let rejections of the last registrations reach the handler before deciding; when the program
    // itself failed (an async program's rejection), the SDK rejects its stack's other promises with
    // the same error a moment later: they belong to this run, not to whatever runs next.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onRejection);
    for (const listener of otherListeners) process.on("unhandledRejection", listener);
  }
  if (failures.length > 0) {
    const messages = failures.map((failure) => (failure instanceof Error ? failure.message : String(failure)));
    throw new AggregateError(failures, `the program failed:\n${[...new Set(messages)].join("\n")}`);
  }
}
