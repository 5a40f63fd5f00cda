/**
 * The `pulumi.runtime.Mocks` of an offline run. In an update they answer like providers that
 * created the resource: inputs plus computed outputs (tls resources from the TlsEmulator, AWS and
 * command resources from the fake AWS account). In a preview they answer like the engine plans a
 * create: the inputs come back and every computed output (IDs, addresses, PEMs) stays unknown,
 * so code that only works with known values fails here as it would in `pulumi preview`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { FakeAwsCloud } from "./fake-aws-cloud";
import { stableHex } from "./fake-aws-ids";
import { isTlsResourceType, type TlsEmulator } from "./tls-emulator";

export interface OfflineMocksSettings {
  /** Answer as a preview (`pulumi preview`) instead of an update. */
  readonly preview: boolean;
  /** Answers tls resources. */
  readonly tls: TlsEmulator;
  /** Answers AWS and command resources and all invokes. */
  readonly cloud: FakeAwsCloud;
}

type Properties = Record<string, unknown>;

/** Mocks for one run; a FakeAwsCloud holds per-run state (ENI addresses), so give each run its own. */
export function createOfflineMocks(settings: OfflineMocksSettings): pulumi.runtime.Mocks {
  return {
    call: ({ token, inputs }) => {
      try {
        return settings.cloud.invoke(token, revealSecrets(inputs) as Properties);
      } catch (error) {
        throw asInvokeFailure(error);
      }
    },
    newResource: async ({ type, name, inputs, custom }) => {
      if (!custom || settings.preview) return { id: undefined, state: inputs as Properties };
      const plainInputs = revealSecrets(inputs) as Properties;
      const created = isTlsResourceType(type)
        ? { id: stableHex(`${type}/${name}`, 40), outputs: await settings.tls.create(type, name, plainInputs) }
        : settings.cloud.create(type, name, plainInputs);
      // Inputs last: they keep their secret marking where a computed copy would be plaintext.
      return { id: created.id, state: { ...created.outputs, ...(inputs as Properties) } };
    },
  };
}

/** The SDK reports a failed invoke by its gRPC error's `details` (runtime/invoke.ts); a plain Error would lose its message. */
function asInvokeFailure(error: unknown): Error & { readonly details: string } {
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(message), { details: message });
}

/** The SDK hands mocks secrets as RPC secret wrappers; providers see plain values. */
function revealSecrets(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) return revealSecrets(pulumi.runtime.unwrapRpcSecret(value));
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, revealSecrets(inner)]));
  }
  return value;
}
