/**
 * A TlsEmulator with memory, as Pulumi's state is: a tls resource declared again with the same
 * name and inputs keeps the outputs of its first creation (same key, same certificate) instead of
 * being created anew. Two renders of the program through one remembering emulator are two
 * `pulumi up`s of one stack: a resize keeps the CA and the existing members' certificates.
 *
 * With a clock, a remembered certificate is also judged as the tls provider judges it on every
 * plan: once `validityEndTime` minus `earlyRenewalHours` is not after the clock's time, it is
 * ready for renewal and replaced by a new one (terraform-provider-tls internal/provider/
 * common_cert.go `modifyPlanIfCertificateReadyForRenewal`; `earlyRenewalHours` absent counts as 0,
 * so a certificate is replaced once it has expired).
 */
import { TLS_TYPES, type TlsEmulator, type TlsProperties, type TlsResourceType } from "./tls-emulator";

/** The time of the `pulumi up` being modelled; default: no renewal is ever judged. */
export type TlsClock = () => Date;

const CERTIFICATE_TYPES: readonly TlsResourceType[] = [TLS_TYPES.selfSignedCert, TLS_TYPES.locallySignedCert];

/** The provider's rule: ready for renewal once `validityEndTime - earlyRenewalHours <= now`. */
export function readyForRenewal(state: TlsProperties, now: Date): boolean {
  const end = Date.parse(String(state["validityEndTime"]));
  if (Number.isNaN(end)) throw new Error(`tls state without a validityEndTime: ${JSON.stringify(state["validityEndTime"])}`);
  const earlyRenewalMs = Number(state["earlyRenewalHours"] ?? 0) * 3_600_000;
  return end - earlyRenewalMs <= now.getTime();
}

/** Wraps `emulator` so each (type, name, inputs) is created once and then answered from memory, until `clock` says it is ready for renewal. */
export function rememberingTls(emulator: TlsEmulator, clock?: TlsClock): TlsEmulator {
  const created = new Map<string, Promise<TlsProperties>>();
  return {
    create: (type, name, inputs) => {
      const key = JSON.stringify([type, name, inputs]);
      const remembered = created.get(key);
      const state =
        remembered === undefined || clock === undefined || !CERTIFICATE_TYPES.includes(type)
          ? remembered
          : remembered.then((previous) => (readyForRenewal(previous, clock()) ? undefined : previous));
      const answer = (async () => (await state) ?? emulator.create(type, name, inputs))();
      created.set(key, answer);
      return answer;
    },
  };
}
