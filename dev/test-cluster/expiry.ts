/**
 * When a test cluster expires: stored as an ISO 8601 UTC time in the stack tag
 * `test-cluster:expires-at` (and the AWS tag `expires-at` on every resource, for anyone looking in
 * the console). The sweep destroys stacks whose time has passed.
 */

/** Stack tags every test cluster carries. Pulumi tag names allow letters, digits, `-_.:`. */
export const STACK_TAGS = {
  expiresAt: "test-cluster:expires-at",
  createdFrom: "test-cluster:created-from",
} as const;

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Shortest and longest lifetime a test cluster may be given. */
export const LIFETIME_BOUNDS_MS = { min: UNIT_MS.h, max: 7 * UNIT_MS.d } as const;

/** `90m`, `24h`, `2d` → milliseconds; fails naming the accepted forms and bounds. */
export function parseLifetime(text: string): number {
  const match = /^([1-9][0-9]*)([mhd])$/.exec(text);
  const ms = match === null ? NaN : Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (!(ms >= LIFETIME_BOUNDS_MS.min && ms <= LIFETIME_BOUNDS_MS.max)) {
    throw new Error(`--expires-in ${text}: write minutes, hours or days (90m, 24h, 2d), from 1h to 7d`);
  }
  return ms;
}

/** The expiry time `lifetimeMs` after `now`, whole seconds, e.g. `2026-12-04T11:20:19Z`. */
export function expiryTime(now: Date, lifetimeMs: number): string {
  return new Date(Math.floor((now.getTime() + lifetimeMs) / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** The time an expiry tag names, or undefined when it is no such UTC time. */
export function parseExpiryTime(value: string | undefined): Date | undefined {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}
