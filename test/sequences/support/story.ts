/**
 * What every story shares: a drill deployed from the dev stack (real certificates, remembered
 * across its ups as Pulumi's state remembers them), a write load through every member from the
 * first deployment to the end, the end-state checks, and the drill's removal however the story ends.
 */
import { realTls } from "../../../dev/mock-runtime/real-tls";
import { rememberingTls } from "../../../dev/mock-runtime/remembering-tls";
import type { TlsEmulator } from "../../../dev/mock-runtime/tls-emulator";
import { SequenceDrill, type UpOutcome } from "../../../dev/sequence-drill/sequence-drill";
import { WriteLoad } from "../../e2e/support/write-load-runner";

/** Keys of the story's write load. */
export const LOAD_PREFIX = "story";

/** Concurrent writers of the load. */
const WRITERS = 2;

export interface Story {
  readonly drill: SequenceDrill;
  /** Holds every promise at the end: every member a voter, one cluster, every acknowledged write read back. */
  readonly finish: () => Promise<void>;
}

/** How a story starts besides its config. */
export interface StoryStart {
  /** Default: real certificates, remembered across ups. */
  readonly tls?: TlsEmulator;
  /** Objects in the stub S3 before the first up (URI to local file). */
  readonly s3Objects?: Readonly<Record<string, string>>;
}

/**
 * Deploys the dev stack with `config` under `label`, starts the load, runs `body`, then removes
 * everything. The story's duration is printed.
 */
export async function playStory(
  label: string,
  config: Readonly<Record<string, unknown>>,
  body: (story: Story) => Promise<void>,
  start: StoryStart = {},
): Promise<void> {
  const started = Date.now();
  const drill = await SequenceDrill.deploy(label, start.tls ?? rememberingTls(realTls()), config, start.s3Objects);
  const load = WriteLoad.start(drill.cluster, LOAD_PREFIX, WRITERS);
  let loadStopped = false;
  try {
    await load.waitForAcknowledged(10);
    await body({
      drill,
      finish: () => {
        loadStopped = true;
        return drill.finish(load, `${LOAD_PREFIX}/`);
      },
    });
  } finally {
    if (!loadStopped) await load.stop();
    await drill.destroy();
    console.log(`story ${label} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** The instance steps an `up` took, in order (`create etcd-dev-member-1-instance`): which member it rolled when. */
export function instanceSteps(outcome: UpOutcome): string[] {
  return outcome.steps.filter((step) => step.endsWith("-instance"));
}
