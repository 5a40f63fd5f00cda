/**
 * Which stacks a sweep destroys: test stacks whose expiry has passed. Anything in doubt is kept and
 * reported (a stack not named `test-…`, a test stack without a readable expiry tag): a sweep must
 * never destroy what it cannot prove is a throw-away cluster past its time.
 */
import { parseExpiryTime, STACK_TAGS } from "./expiry";
import { isTestStack } from "./naming";

export interface StackWithTags {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface SweepSelection {
  /** Expired test stacks, oldest expiry first. */
  readonly destroy: readonly string[];
  /** Test stacks kept, each with the reason. Stacks not named test-… are not mentioned. */
  readonly kept: readonly { readonly stack: string; readonly reason: string }[];
}

export function selectExpiredStacks(stacks: readonly StackWithTags[], now: Date): SweepSelection {
  const expired: { stack: string; at: number }[] = [];
  const kept: { stack: string; reason: string }[] = [];
  for (const { name, tags } of stacks) {
    if (!isTestStack(name)) continue;
    const tag = tags[STACK_TAGS.expiresAt];
    const expiresAt = parseExpiryTime(tag);
    if (expiresAt === undefined) {
      kept.push({ stack: name, reason: tag === undefined ? `no ${STACK_TAGS.expiresAt} tag` : `${STACK_TAGS.expiresAt} "${tag}" is not a UTC time` });
    } else if (expiresAt.getTime() <= now.getTime()) {
      expired.push({ stack: name, at: expiresAt.getTime() });
    } else {
      kept.push({ stack: name, reason: `expires at ${tag}` });
    }
  }
  return { destroy: expired.sort((a, b) => a.at - b.at || a.stack.localeCompare(b.stack)).map((entry) => entry.stack), kept };
}
