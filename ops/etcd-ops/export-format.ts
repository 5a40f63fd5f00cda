/**
 * The logical export file of etcd-ops: a version-independent JSON document of a key prefix, written
 * and read one line at a time so a keyspace of any size streams through in bounded memory.
 *
 * Layout (the whole file is one valid JSON document; keys and values are base64 because etcd keys
 * and values are bytes; revisions and lease IDs are decimal strings because they are int64):
 *
 *   {"format":"etcd-ops-export","formatVersion":1,"header":{...},"keys":[
 *   {"key":"…","value":"…","createRevision":"5","modRevision":"9","version":"3","lease":"0"},
 *   …
 *   {"key":"…",…}
 *   ],"keyCount":2,"checksum":{"algorithm":"sha256","value":"<hex>"}}
 *
 * The checksum is SHA-256 over the canonical header (its fields in ExportHeader's order, as JSON)
 * and a newline, then per key the JSON array [key, value, createRevision, modRevision, version,
 * lease] and a newline. Keys are in ascending byte order, each under the header's prefix.
 */
import { createHash, type Hash } from "node:crypto";

export const EXPORT_FORMAT = "etcd-ops-export";
export const EXPORT_FORMAT_VERSION = 1;

/** Where and when the export was taken. */
export interface ExportHeader {
  /** The exported key prefix, base64; empty for the whole keyspace. */
  readonly prefix: string;
  /** The store revision every key was read at (one consistent point in time). */
  readonly revision: string;
  /** The source cluster's ID (decimal, as etcd sends it). */
  readonly clusterId: string;
  /** The member that answered (decimal). */
  readonly memberId: string;
  /** The source member's etcd version, e.g. `3.5.16`. */
  readonly etcdVersion: string;
  /** ISO 8601 time of the export. */
  readonly exportedAt: string;
}

/** One key as etcd stored it. Revisions and lease are stated for the record; an import cannot keep them. */
export interface ExportedKey {
  /** The key, base64. */
  readonly key: string;
  /** The value, base64. */
  readonly value: string;
  readonly createRevision: string;
  readonly modRevision: string;
  /** Number of writes to the key since its creation. */
  readonly version: string;
  /** ID of the lease the key was attached to; "0" for none. */
  readonly lease: string;
}

/** What a complete, verified export file holds besides its keys. */
export interface ExportSummary {
  readonly header: ExportHeader;
  readonly keyCount: number;
  /** The checksum (hex) the file states and its content matches. */
  readonly checksum: string;
}

const HEADER_FIELDS = ["prefix", "revision", "clusterId", "memberId", "etcdVersion", "exportedAt"] as const;
const KEY_FIELDS = ["key", "value", "createRevision", "modRevision", "version", "lease"] as const;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DECIMAL = /^\d+$/;

function canonicalHeader(header: ExportHeader): string {
  return JSON.stringify(HEADER_FIELDS.map((field) => header[field]));
}

function canonicalKey(entry: ExportedKey): string {
  return JSON.stringify(KEY_FIELDS.map((field) => entry[field]));
}

/** Produces the file's text piece by piece; the caller writes each piece in order. */
export class ExportEncoder {
  private readonly checksum: Hash = createHash("sha256");
  private pending: string | undefined;
  private count = 0;

  constructor(private readonly header: ExportHeader) {
    this.checksum.update(`${canonicalHeader(header)}\n`);
  }

  /** The first line. */
  opening(): string {
    const header = Object.fromEntries(HEADER_FIELDS.map((field) => [field, this.header[field]]));
    return `${JSON.stringify({ format: EXPORT_FORMAT, formatVersion: EXPORT_FORMAT_VERSION, header }).slice(0, -1)},"keys":[\n`;
  }

  /** Text to write after adding `entry` (the previous key's line: a line is complete once the next key is known). */
  add(entry: ExportedKey): string {
    this.checksum.update(`${canonicalKey(entry)}\n`);
    this.count += 1;
    const previous = this.pending === undefined ? "" : `${this.pending},\n`;
    this.pending = JSON.stringify(Object.fromEntries(KEY_FIELDS.map((field) => [field, entry[field]])));
    return previous;
  }

  /** The rest of the file: the last key's line and the closing line with count and checksum. */
  closing(): string {
    const last = this.pending === undefined ? "" : `${this.pending}\n`;
    const trailer = { keyCount: this.count, checksum: { algorithm: "sha256", value: this.checksum.digest("hex") } };
    return `${last}],${JSON.stringify(trailer).slice(1)}\n`;
  }
}

/** A problem with an export file, naming the line. */
export class ExportFileError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireFields<T extends string>(value: unknown, fields: readonly T[], what: string): Record<T, string> {
  if (!isRecord(value)) throw new Error(`${what} is not an object`);
  const extra = Object.keys(value).filter((name) => !(fields as readonly string[]).includes(name));
  if (extra.length > 0) throw new Error(`${what} has unknown fields ${extra.join(", ")}`);
  for (const field of fields) {
    if (typeof value[field] !== "string") throw new Error(`${what} lacks the string field "${field}"`);
  }
  return value as Record<T, string>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error("is not valid JSON (a truncated or altered line)");
  }
}

/**
 * Reads an export file line by line, checking everything: layout, fields, base64, key order and
 * prefix, and at the end the key count and checksum. `push` returns each key once its line is read;
 * only `finish` (after the last line) proves the file complete and intact.
 */
export class ExportDecoder {
  private readonly checksum: Hash = createHash("sha256");
  private header: ExportHeader | undefined;
  private prefix = Buffer.alloc(0);
  private previousKey: Buffer | undefined;
  private expectMore = true;
  private summary: ExportSummary | undefined;
  private line = 0;
  private count = 0;

  /** Processes the next line; returns the key it holds, if any. Throws ExportFileError on any defect. */
  push(text: string): ExportedKey | undefined {
    this.line += 1;
    try {
      if (this.summary !== undefined) {
        if (text.trim() === "") return undefined;
        throw new Error("follows the end of the document");
      }
      if (this.header === undefined) return this.readOpening(text);
      if (text.startsWith("],")) return this.readClosing(text, this.header);
      return this.readKey(text);
    } catch (error) {
      throw new ExportFileError(`line ${this.line}: ${(error as Error).message}`);
    }
  }

  /** Call after the last line: the verified summary, or ExportFileError (a truncated file ends here). */
  finish(): ExportSummary {
    if (this.summary === undefined) {
      throw new ExportFileError(`truncated: the file ends after ${this.count} keys (line ${this.line}) without its closing line`);
    }
    return this.summary;
  }

  private readOpening(text: string): undefined {
    if (!text.endsWith(',"keys":[')) throw new Error(`is not the opening line of an ${EXPORT_FORMAT} file`);
    const document = parseJson(`${text}]}`);
    if (!isRecord(document) || document.format !== EXPORT_FORMAT) throw new Error(`is not an ${EXPORT_FORMAT} file`);
    if (document.formatVersion !== EXPORT_FORMAT_VERSION) {
      throw new Error(`has format version ${String(document.formatVersion)}; this tool reads version ${EXPORT_FORMAT_VERSION}`);
    }
    const header = requireFields(document.header, HEADER_FIELDS, "the header");
    if (!BASE64.test(header.prefix)) throw new Error("the header's prefix is not base64");
    this.header = header;
    this.prefix = Buffer.from(header.prefix, "base64");
    this.checksum.update(`${canonicalHeader(header)}\n`);
    return undefined;
  }

  private readKey(text: string): ExportedKey {
    if (!this.expectMore) throw new Error("a key follows the last key (no comma after the previous one)");
    this.expectMore = text.endsWith(",");
    const entry = requireFields(parseJson(this.expectMore ? text.slice(0, -1) : text), KEY_FIELDS, "the key entry");
    if (!BASE64.test(entry.key) || !BASE64.test(entry.value)) throw new Error("key or value is not base64");
    for (const field of ["createRevision", "modRevision", "version", "lease"] as const) {
      if (!DECIMAL.test(entry[field])) throw new Error(`${field} "${entry[field]}" is not a decimal number`);
    }
    const key = Buffer.from(entry.key, "base64");
    if (!key.subarray(0, this.prefix.length).equals(this.prefix)) throw new Error("the key is outside the header's prefix");
    if (this.previousKey !== undefined && Buffer.compare(this.previousKey, key) >= 0) {
      throw new Error("keys are not in ascending order (duplicate or reordered key)");
    }
    this.previousKey = key;
    this.count += 1;
    this.checksum.update(`${canonicalKey(entry)}\n`);
    return entry;
  }

  private readClosing(text: string, header: ExportHeader): undefined {
    if (this.count > 0 && this.expectMore) throw new Error("the last key is followed by a comma");
    const trailer = parseJson(`{${text.slice(2)}`);
    if (!isRecord(trailer) || typeof trailer.keyCount !== "number" || !isRecord(trailer.checksum)) {
      throw new Error("the closing line lacks keyCount or checksum");
    }
    if (trailer.keyCount !== this.count) throw new Error(`states ${trailer.keyCount} keys, the file holds ${this.count}`);
    const actual = this.checksum.digest("hex");
    if (trailer.checksum.algorithm !== "sha256" || trailer.checksum.value !== actual) {
      throw new Error(`checksum mismatch: the file states ${String(trailer.checksum.value)}, its content hashes to ${actual}`);
    }
    this.summary = { header, keyCount: this.count, checksum: actual };
    return undefined;
  }
}
