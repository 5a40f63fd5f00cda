/**
 * A TlsEmulator with memory and a clock, as Pulumi's state and the tls provider are together: a
 * resource declared again with the same inputs keeps its first outputs (remembering-tls.ts), except
 * a certificate the provider would renew: once the clock reaches its `validityEndTime` less its
 * `earlyRenewalHours` (the provider's `ready_for_renewal`), the next `up` creates it anew, and
 * everything made from it follows (their inputs change). Moving the clock forward puts a story
 * inside a renewal window.
 */
import type { TlsEmulator, TlsProperties } from "../mock-runtime/tls-emulator";

/** The story's clock: how far ahead of the machine's time the next `up` runs. */
export interface RenewalClock {
  hoursAhead: number;
}

const HOUR_MS = 3_600_000;

function readyForRenewal(state: TlsProperties, inputs: TlsProperties, clock: RenewalClock): boolean {
  if (typeof state["validityEndTime"] !== "string") return false;
  const end = Date.parse(state["validityEndTime"]);
  const early = typeof inputs["earlyRenewalHours"] === "number" ? inputs["earlyRenewalHours"] : 0;
  return Date.now() + clock.hoursAhead * HOUR_MS >= end - early * HOUR_MS;
}

/** Wraps `emulator`: each (type, name, inputs) is created once, and again when its renewal is due by `clock`. */
export function renewingTls(emulator: TlsEmulator, clock: RenewalClock): TlsEmulator {
  const created = new Map<string, TlsProperties>();
  return {
    create: async (type, name, inputs) => {
      const key = JSON.stringify([type, name, inputs]);
      const known = created.get(key);
      if (known !== undefined && !readyForRenewal(known, inputs, clock)) return known;
      const state = await emulator.create(type, name, inputs);
      created.set(key, state);
      return state;
    },
  };
}
