/**
 * A TlsEmulator with memory, as Pulumi's state is: a tls resource declared again with the same
 * name and inputs keeps the outputs of its first creation (same key, same certificate) instead of
 * being created anew. Two renders of the program through one remembering emulator are two
 * `pulumi up`s of one stack: a resize keeps the CA and the existing members' certificates.
 */
import type { TlsEmulator, TlsProperties } from "./tls-emulator";

/** Wraps `emulator` so each (type, name, inputs) is created once and then answered from memory. */
export function rememberingTls(emulator: TlsEmulator): TlsEmulator {
  const created = new Map<string, Promise<TlsProperties>>();
  return {
    create: (type, name, inputs) => {
      const key = JSON.stringify([type, name, inputs]);
      let state = created.get(key);
      if (state === undefined) {
        state = emulator.create(type, name, inputs);
        created.set(key, state);
      }
      return state;
    },
  };
}
