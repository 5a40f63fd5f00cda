/**
 * What one offline run of a Pulumi program declared: every resource with the inputs, state and
 * options the engine would have received, and the stack's outputs.
 */
import type { RecordedProperties } from "./recorded-value";

/** Resource options as the engine sees them in the registration request. */
export interface SeenResourceOptions {
  /** `protect`: the engine refuses to delete the resource. */
  readonly protect: boolean;
  /** `retainOnDelete`: a delete removes the resource from the stack but leaves it in the cloud. */
  readonly retainOnDelete: boolean;
  /** `deleteBeforeReplace`: a replacement deletes the old resource before creating the new one. */
  readonly deleteBeforeReplace: boolean;
  /**
   * URNs this resource depends on that none of its inputs explains: the explicit `dependsOn`
   * (components in `dependsOn` arrive expanded to their children). Sorted.
   */
  readonly dependsOn: readonly string[];
  /** `ignoreChanges` property paths. */
  readonly ignoreChanges: readonly string[];
  /** `replaceOnChanges` property paths. */
  readonly replaceOnChanges: readonly string[];
  /** `additionalSecretOutputs`: outputs the engine marks secret (the SDKs use it for private keys). */
  readonly additionalSecretOutputs: readonly string[];
}

/** One resource registration. */
export interface RecordedResource {
  /** Type token, e.g. `aws:ebs/volume:Volume`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** `urn:pulumi:<stack>::<project>::<parent types$type>::<name>`: unique in the run. */
  readonly urn: string;
  /** URN of the parent resource; the stack's root resource has none. */
  readonly parentUrn?: string;
  /** False for component resources (and the stack). */
  readonly custom: boolean;
  /** Physical ID the mocks assigned; undefined for components and for creates in a preview. */
  readonly id?: string;
  /** Inputs as sent to the engine (secrets wrapped, preview unknowns as UNKNOWN). */
  readonly inputs: RecordedProperties;
  /**
   * For each input that came from other resources' outputs, their URNs (sorted). Known in a
   * preview too, where the values themselves are UNKNOWN.
   */
  readonly inputDependencies: Readonly<Record<string, readonly string[]>>;
  /**
   * State: for custom resources the provider's answer (inputs plus computed outputs); for
   * components what they passed to `registerOutputs`.
   */
  readonly state: RecordedProperties;
  /** The options the registration request carried. */
  readonly options: SeenResourceOptions;
}

/** A message the program logged through `pulumi.log` (warnings about AZ spread, for instance). */
export interface ProgramDiagnostic {
  /** `pulumi.log.info`, `.warn` or `.error`. */
  readonly severity: "info" | "warning" | "error";
  /** The message as logged. */
  readonly message: string;
}

/** A data-source call the program made (`aws.ec2.getSubnet`, say): what the deployer's credentials look up. */
export interface ProgramInvoke {
  /** Function token, e.g. `aws:ec2/getSubnet:getSubnet`. */
  readonly token: string;
  /** Its arguments as the program passed them. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** The outcome of one program run under mocks. */
export interface ProgramRun {
  /** The stack the program ran as. */
  readonly stack: string;
  /** True when the run was a preview (`pulumi preview`): computed values are UNKNOWN. */
  readonly preview: boolean;
  /** Every registered resource, the stack resource included, in registration order. */
  readonly resources: readonly RecordedResource[];
  /** The stack's outputs (the program's exports), resolved, secrets kept wrapped. */
  readonly outputs: RecordedProperties;
  /** What the program logged, in order. */
  readonly diagnostics: readonly ProgramDiagnostic[];
  /** Every invoke, in the order made. */
  readonly invokes: readonly ProgramInvoke[];
}
