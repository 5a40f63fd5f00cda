/**
 * The command line of `npm run try`: which stack to render, how many members to boot, whether to
 * keep the cluster running. Pure: the stacks that exist are passed in.
 */
import { parseArgs } from "node:util";
import { memberCountProblem } from "../../src/core/config/topology-rules";

export const TRY_USAGE = "usage: npm run try -- [--stack <name>] [--members 3|5|7] [--keep]";

/** The stack rendered when `--stack` is not given: the throw-away one. */
export const DEFAULT_TRY_STACK = "dev";

/** Sizes `--members` accepts: the odd sizes that tolerate a failure (1 tolerates none, above 7 is refused by the config). */
export const TRY_MEMBER_COUNTS: readonly number[] = [3, 5, 7];

export interface TryOptions {
  /** Stack whose file (stacks/Pulumi.<stack>.yaml) is rendered. Default: DEFAULT_TRY_STACK. */
  readonly stack: string;
  /** Members to boot, replacing the stack file's `members`; undefined keeps the stack's own size. */
  readonly members: number | undefined;
  /** Keep the cluster running until Ctrl-C (and print how to reach it) instead of tearing it down. Default: false. */
  readonly keep: boolean;
}

/** A command line the try script refuses; the message says why and what to type instead. */
export class TryOptionsError extends Error {}

function parsedMembers(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const allowed = `${TRY_MEMBER_COUNTS.slice(0, -1).join(", ")} or ${TRY_MEMBER_COUNTS.at(-1)}`;
  if (!/^\d+$/.test(text)) throw new TryOptionsError(`--members ${text}: not a whole number; use ${allowed}`);
  const members = Number(text);
  if (TRY_MEMBER_COUNTS.includes(members)) return members;
  const reason = memberCountProblem(members) ?? `the try script boots ${allowed} members`;
  throw new TryOptionsError(`--members ${members}: ${reason}`);
}

/** Reads `args` (what follows `npm run try --`); throws TryOptionsError for anything it cannot use. */
export function parseTryOptions(args: readonly string[], stacks: readonly string[]): TryOptions {
  let values: { stack?: string; members?: string; keep?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { stack: { type: "string" }, members: { type: "string" }, keep: { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new TryOptionsError(`${error instanceof Error ? error.message : String(error)}\n${TRY_USAGE}`);
  }
  const stack = values.stack ?? DEFAULT_TRY_STACK;
  if (!stacks.includes(stack)) {
    throw new TryOptionsError(`--stack ${stack}: no stacks/Pulumi.${stack}.yaml; stacks: ${stacks.join(", ")}`);
  }
  return { stack, members: parsedMembers(values.members), keep: values.keep ?? false };
}
