/**
 * Checks a request against an operation's input shape in AWS's model the way AWS's request
 * validation does: every member known, required members present, types, string patterns, lengths
 * and enums, number ranges, list and map sizes; plus the documented limits the model leaves out
 * (documented-limits.ts), applied where they name the shape (a request's own input shape included,
 * for a rule across its members).
 */
import { operationInputShape, type ModelShape, type ServiceModel } from "./botocore-models";
import { DOCUMENTED_LIMITS, type DocumentedLimit } from "./documented-limits";
import { modelPatternRegExp } from "./java-pattern";

/** A value AWS would refuse. */
export interface Violation {
  /** `<service>:<Operation>` and the member path, e.g. `iam:CreateRole.Tags[2].Value`. */
  readonly where: string;
  /** The value sent. */
  readonly value: unknown;
  /** What it breaks, e.g. `pattern [0-9A-Za-z _-]+`. */
  readonly rule: string;
  /** Where the rule comes from: the model file and shape, or the document a limit cites. */
  readonly source: string;
}

/** One API call the program's resource makes, with the input members it sends. */
export interface ApiRequest {
  /** botocore's service name: `ec2`, `iam`, `s3`, `ssm`, `dlm`. */
  readonly service: string;
  /** The operation, e.g. `CreateVolume`. */
  readonly operation: string;
  /** Input members as the API names them. */
  readonly input: Readonly<Record<string, unknown>>;
}

/** A string sent where a maximum length applies, and that maximum: how close a name is to its limit. */
export interface BoundedString {
  readonly where: string;
  readonly value: string;
  /** The smallest maximum that applies (model or documented). */
  readonly max: number;
}

/** What checking one request found. */
export interface RequestCheck {
  readonly violations: Violation[];
  readonly boundedStrings: BoundedString[];
}

interface Context extends RequestCheck {
  readonly model: ServiceModel;
}

/** Every violation of `request` against its operation's input shape, and every length-bounded string in it. */
export function checkRequest(model: ServiceModel, request: ApiRequest): RequestCheck {
  const context: Context = { model, violations: [], boundedStrings: [] };
  const inputShape = operationInputShape(model, request.operation);
  checkShape(context, inputShape, request.input, `${request.service}:${request.operation}`, DOCUMENTED_LIMITS[`${model.service}:${inputShape}`]);
  return { violations: context.violations, boundedStrings: context.boundedStrings };
}

function modelSource(model: ServiceModel, shapeName: string): string {
  return `botocore ${model.botocoreVersion} ${model.service}/${model.apiVersion}/service-2.json shape ${shapeName}`;
}

function checkShape(context: Context, shapeName: string, value: unknown, where: string, limit?: DocumentedLimit): void {
  const { model, violations } = context;
  const shape = model.shapes[shapeName];
  if (shape === undefined) throw new Error(`${model.service} model has no shape ${shapeName}`);
  const fail = (rule: string, source = modelSource(model, shapeName)) => violations.push({ where, value, rule, source });
  if (value === undefined || value === null) return;
  if (!hasModelType(shape, value)) {
    fail(`type ${shape.type}`);
    return;
  }
  checkBounds(shape, value, fail);
  if (limit !== undefined) checkDocumentedLimit(limit, value, (rule) => fail(rule, limit.source));
  const maxima = [shape.max, limit?.max].filter((max) => max !== undefined);
  if (typeof value === "string" && maxima.length > 0) context.boundedStrings.push({ where, value, max: Math.min(...maxima) });
  const limitOf = (member: string) => DOCUMENTED_LIMITS[`${model.service}:${shapeName}.${member}`];
  switch (shape.type) {
    case "structure": {
      const record = value as Record<string, unknown>;
      for (const required of shape.required ?? []) {
        if (record[required] === undefined)
          violations.push({
            where: `${where}.${required}`,
            value: undefined,
            rule: "required",
            source: modelSource(model, shapeName),
          });
      }
      for (const [member, memberValue] of Object.entries(record)) {
        const memberShape = shape.members?.[member]?.shape;
        if (memberShape === undefined) fail(`no member ${member} in ${shapeName}`);
        else checkShape(context, memberShape, memberValue, `${where}.${member}`, limitOf(member));
      }
      return;
    }
    case "list":
      (value as unknown[]).forEach((item, index) => checkShape(context, shape.member!.shape, item, `${where}[${index}]`));
      return;
    case "map":
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        checkShape(context, shape.key!.shape, key, `${where}{${key}}`, limitOf("key"));
        checkShape(context, shape.value!.shape, entry, `${where}[${JSON.stringify(key)}]`, limitOf("value"));
      }
      return;
    default:
      return;
  }
}

function hasModelType(shape: ModelShape, value: unknown): boolean {
  switch (shape.type) {
    case "structure":
    case "map":
      return typeof value === "object" && !Array.isArray(value);
    case "list":
      return Array.isArray(value);
    case "string":
    case "blob":
    case "timestamp":
      return typeof value === "string";
    case "integer":
    case "long":
      return Number.isInteger(value);
    case "double":
    case "float":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
  }
}

/** The size `min` and `max` measure: characters of a string, entries of a list or map, the number itself. */
function sizeOf(value: unknown): number {
  if (typeof value === "string") return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (typeof value === "object" && value !== null) return Object.keys(value).length;
  return Number(value);
}

function checkBounds(shape: ModelShape, value: unknown, fail: (rule: string) => void): void {
  const size = sizeOf(value);
  if (shape.min !== undefined && size < shape.min) fail(`min ${shape.min}`);
  if (shape.max !== undefined && size > shape.max) fail(`max ${shape.max}`);
  if (typeof value !== "string") return;
  if (shape.enum !== undefined && !shape.enum.includes(value)) fail(`enum ${shape.enum.join(" | ")}`);
  if (shape.pattern !== undefined && !modelPatternRegExp(shape.pattern).test(value)) fail(`pattern ${shape.pattern}`);
}

function checkDocumentedLimit(limit: DocumentedLimit, value: unknown, fail: (rule: string) => void): void {
  const size = sizeOf(value);
  if (limit.min !== undefined && size < limit.min) fail(`min ${limit.min}`);
  if (limit.max !== undefined && size > limit.max) fail(`max ${limit.max}`);
  if (limit.pattern !== undefined && typeof value === "string" && !limit.pattern.test(value)) fail(`pattern ${limit.pattern.source}`);
  const problem = limit.check?.(value);
  if (problem !== undefined) fail(problem);
}
