/**
 * Property values as the engine receives them, decoded for assertions and the plan: secrets stay
 * wrapped in SecretValue and preview-time unknowns stay visible as UNKNOWN, so a test can tell a
 * secret from a plaintext value and a computed value from an absent one.
 */
import * as pulumi from "@pulumi/pulumi";

/** A value the program or a provider marked secret (`pulumi.secret`, `additionalSecretOutputs`). */
export class SecretValue {
  constructor(
    /** The secret's plaintext, itself decoded (never another SecretValue). */
    readonly value: RecordedValue,
  ) {}
}

/** A value that is computed at apply time: only seen in preview runs. */
export class UnknownValue {
  static readonly instance = new UnknownValue();
  private constructor() {}
}

/** The one UnknownValue. */
export const UNKNOWN = UnknownValue.instance;

export type RecordedValue = null | boolean | number | string | SecretValue | UnknownValue | readonly RecordedValue[] | RecordedObject;

export interface RecordedObject {
  readonly [key: string]: RecordedValue;
}

/** Property map of a resource's inputs or state. */
export type RecordedProperties = RecordedObject;

export function isRecordedObject(value: RecordedValue | undefined): value is RecordedObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof SecretValue) && !(value instanceof UnknownValue);
}

/**
 * An SSM parameter's value from its recorded properties: `value`, or `insecureValue` for a
 * plain-text parameter (the member list), which carries no `value`.
 */
export function ssmParameterValue(properties: RecordedProperties): RecordedValue | undefined {
  return properties["value"] ?? properties["insecureValue"];
}

/**
 * A recorded scalar as text. Throws on a secret, a preview's unknown, an array, an object or an
 * absent value, which `String()` would turn into "[object Object]" or "undefined" and compare.
 */
export function recordedText(value: RecordedValue | undefined): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const kind = value instanceof SecretValue ? "a secret" : value instanceof UnknownValue ? "an unknown (preview)" : (JSON.stringify(value) ?? "undefined");
  throw new Error(`expected a recorded string, number or boolean, got ${kind}`);
}

/** A recorded list. (`Array.isArray` narrows a readonly array type to `any[]`.) */
export function isRecordedList(value: RecordedValue | undefined): value is readonly RecordedValue[] {
  return Array.isArray(value);
}

/**
 * Decodes a value in the engine's wire form (a protobuf Struct turned into JavaScript): the
 * special signatures for secrets, resource references, assets and output values become plain
 * recorded values. A resource reference is recorded as its URN, an asset as its text, path or URI.
 */
export function decodeWireValue(wire: unknown): RecordedValue {
  if (wire === pulumi.runtime.unknownValue) return UNKNOWN;
  if (wire === null || wire === undefined) return null;
  if (typeof wire === "boolean" || typeof wire === "number" || typeof wire === "string") return wire;
  if (Array.isArray(wire)) return wire.map(decodeWireValue);
  const record = wire as Record<string, unknown>;
  switch (record[pulumi.runtime.specialSigKey]) {
    case pulumi.runtime.specialSecretSig:
      return new SecretValue(unwrapSecret(decodeWireValue(record.value)));
    case pulumi.runtime.specialResourceSig:
      return String(record.urn);
    case pulumi.runtime.specialAssetSig:
      return String(record.text ?? record.path ?? record.uri);
    case pulumi.runtime.specialOutputValueSig: {
      const value = "value" in record ? decodeWireValue(record.value) : UNKNOWN;
      return record.secret === true ? new SecretValue(unwrapSecret(value)) : value;
    }
    case undefined:
      return decodeWireProperties(record);
    default:
      throw new Error(`unsupported value signature ${String(record[pulumi.runtime.specialSigKey])}`);
  }
}

/** Decodes a property map in wire form; properties absent on the wire stay absent. */
export function decodeWireProperties(wire: Record<string, unknown>): RecordedProperties {
  return Object.fromEntries(Object.entries(wire).map(([key, value]) => [key, decodeWireValue(value)]));
}

/** The wire form of a secret, as the engine sends it for `additionalSecretOutputs`. */
export function encodeWireSecret(wireValue: unknown): Record<string, unknown> {
  return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: wireValue };
}

/** True when the wire value is already a secret. */
export function isWireSecret(wireValue: unknown): boolean {
  return pulumi.runtime.isRpcSecret(wireValue);
}

function unwrapSecret(value: RecordedValue): RecordedValue {
  return value instanceof SecretValue ? value.value : value;
}

/** The value with every secret unwrapped; unknowns stay UNKNOWN. */
export function revealSecrets(value: RecordedValue): RecordedValue {
  if (value instanceof SecretValue) return revealSecrets(value.value);
  if (isRecordedList(value)) return value.map(revealSecrets);
  if (isRecordedObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, revealSecrets(inner)]));
  }
  return value;
}

/** A string found in a recorded value, with its path (`tags.Name`, `networkInterfaces[0].deviceIndex`). */
export interface FoundString {
  /** Where the string sits: property names joined by dots, list indexes in brackets. */
  readonly path: string;
  /** The string itself. */
  readonly text: string;
}

/** Every string in the value that is not inside a secret. */
export function plaintextStrings(value: RecordedValue, path = ""): FoundString[] {
  if (typeof value === "string") return [{ path, text: value }];
  if (isRecordedList(value)) return value.flatMap((inner, index) => plaintextStrings(inner, `${path}[${index}]`));
  if (isRecordedObject(value)) {
    return Object.entries(value).flatMap(([key, inner]) => plaintextStrings(inner, path ? `${path}.${key}` : key));
  }
  return [];
}
