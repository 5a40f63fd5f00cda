/**
 * How the plan prints property values: one `path: value` line per leaf, sorted keys, secrets as
 * `[secret]`, PEM blocks by kind (`[certificate]`; a private key outside a secret is flagged),
 * IDs of other resources by the resource's name, JSON documents (IAM policies) pretty-printed and
 * multi-line text as an indented block. The same values always print the same lines.
 */
import { createHash } from "node:crypto";
import { decodedCloudConfig, isCloudConfig } from "../mock-runtime/cloud-init-files";
import { isRecordedList, isRecordedObject, SecretValue, UnknownValue, type RecordedProperties, type RecordedValue } from "../mock-runtime/recorded-value";

/** What value printing needs to know about the run. */
export interface PlanContext {
  /** Resource name by the AWS-style ID the mocks assigned it (`vol-…` → `etcd-prod-0-data`). */
  readonly resourceNamesById: ReadonlyMap<string, string>;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----(\r?\n)?/g;

function pemPlaceholder(kind: string): string {
  if (kind.endsWith("PRIVATE KEY")) return "[PRIVATE KEY IN PLAINTEXT]";
  if (kind === "CERTIFICATE") return "[certificate]";
  if (kind === "CERTIFICATE REQUEST") return "[certificate request]";
  if (kind.endsWith("PUBLIC KEY")) return "[public key]";
  return `[${kind.toLowerCase()}]`;
}

/** The text with every PEM block replaced by a placeholder naming its kind. */
export function maskPemBlocks(text: string): string {
  return text.replace(PEM_BLOCK, (_block, kind: string, newline: string | undefined) => pemPlaceholder(kind) + (newline ?? ""));
}

/** First 12 hex digits of the SHA-256 of the text: enough to show that a long text changed. */
export function shortDigest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

/** Lines of a property map, keys sorted, each line prefixed by `indent`. */
export function propertyLines(properties: RecordedProperties, context: PlanContext, indent: string): string[] {
  return Object.keys(properties)
    .sort()
    .flatMap((key) => valueLines(key, properties[key], context, indent));
}

function valueLines(path: string, value: RecordedValue, context: PlanContext, indent: string): string[] {
  if (isRecordedList(value)) {
    if (value.every(isInline)) return [`${indent}${path}: [${value.map((item) => inlineText(item, context)).join(", ")}]`];
    return value.flatMap((item, index) => valueLines(`${path}[${index}]`, item, context, indent));
  }
  if (isRecordedObject(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return [`${indent}${path}: {}`];
    // AWS tag maps print on one line: they repeat on every resource and rarely differ in more than a Name.
    if (path.endsWith("tags") && keys.every((key) => isInline(value[key]))) {
      return [`${indent}${path}: {${keys.map((key) => `${key}: ${inlineText(value[key], context)}`).join(", ")}}`];
    }
    return keys.flatMap((key) => valueLines(`${path}.${key}`, value[key], context, indent));
  }
  if (typeof value === "string") return stringLines(path, value, context, indent);
  return [`${indent}${path}: ${inlineText(value, context)}`];
}

function isInline(value: RecordedValue): boolean {
  return !Array.isArray(value) && !isRecordedObject(value) && !(typeof value === "string" && value.includes("\n"));
}

function inlineText(value: RecordedValue, context: PlanContext): string {
  if (value instanceof SecretValue) return "[secret]";
  if (value instanceof UnknownValue) return "[unknown]";
  if (typeof value === "string") {
    const name = context.resourceNamesById.get(value);
    if (name !== undefined) return `<id of ${name}>`;
    return value === "" ? '""' : maskPemBlocks(value);
  }
  // What is left is null, a boolean or a number (lists and maps are never inline): as JSON.
  return JSON.stringify(value);
}

/** The gzip magic number (1f 8b 08) in base64: how a member bundle's `contentBase64` starts. */
const GZIP_BASE64_PREFIX = "H4sI";

function stringLines(path: string, text: string, context: PlanContext, indent: string): string[] {
  if (isCloudConfig(text)) {
    return [`${indent}${path}: [cloud-config, ${Buffer.byteLength(text)} bytes, sha256 ${shortDigest(text)}; see the member's section]`];
  }
  const decoded = decodedCloudConfig(text);
  if (decoded !== undefined) {
    return [`${indent}${path}: [base64 cloud-config, ${Buffer.byteLength(decoded)} bytes, sha256 ${shortDigest(text)}; see the member's section]`];
  }
  if (text.startsWith(GZIP_BASE64_PREFIX)) {
    return [`${indent}${path}: [base64 gzip archive, ${Buffer.from(text, "base64").byteLength} bytes, sha256 ${shortDigest(text)}; files in the member's section]`];
  }
  if (!text.includes("\n") && jsonDocument(text) === undefined) return [`${indent}${path}: ${inlineText(text, context)}`];
  const document = jsonDocument(text);
  const block = (document === undefined ? maskPemBlocks(text) : JSON.stringify(document, null, 2)).replace(/\n$/, "");
  if (!block.includes("\n")) return [`${indent}${path}: ${block}`];
  return [`${indent}${path}: |`, ...block.split("\n").map((line) => `${indent}  ${line}`)];
}

/** A JSON object or array given as a string (IAM policies are), or undefined. */
function jsonDocument(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
