import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ExportDecoder, ExportEncoder, ExportFileError, type ExportHeader, type ExportedKey, type ExportSummary } from "../../../ops/etcd-ops/export-format";

const PREFIX = Buffer.from("app/");
const HEADER: ExportHeader = {
  prefix: PREFIX.toString("base64"),
  revision: "9000000000000000001",
  clusterId: "10303507147692216386",
  memberId: "4675352182278289689",
  etcdVersion: "3.5.16",
  exportedAt: "2026-01-01T00:00:00.000Z",
};

function entry(key: Buffer, value: Buffer, lease = "0"): ExportedKey {
  return { key: key.toString("base64"), value: value.toString("base64"), createRevision: "5", modRevision: "9", version: "3", lease };
}

const ENTRIES = [
  entry(Buffer.from("app/a"), Buffer.from([0, 1, 2, 255])),
  entry(Buffer.from("app/b"), Buffer.alloc(0), "7587880263651016711"),
  entry(Buffer.from([0x61, 0x70, 0x70, 0x2f, 0xff]), Buffer.from('{"json":"inside"}\n')),
];

/** The file's text as the encoder writes it. */
function encode(header: ExportHeader, entries: readonly ExportedKey[]): string {
  const encoder = new ExportEncoder(header);
  return encoder.opening() + entries.map((item) => encoder.add(item)).join("") + encoder.closing();
}

/** Decodes text line by line; returns the keys and the summary, or throws the decoder's error. */
function decode(text: string): { entries: ExportedKey[]; summary: ExportSummary } {
  const decoder = new ExportDecoder();
  const entries: ExportedKey[] = [];
  for (const line of text.split("\n")) {
    const decoded = decoder.push(line);
    if (decoded !== undefined) entries.push(decoded);
  }
  return { entries, summary: decoder.finish() };
}

function replaceLine(text: string, index: number, replacement: (line: string) => string): string {
  const lines = text.split("\n");
  lines[index] = replacement(lines[index]);
  return lines.join("\n");
}

describe("the etcd-ops export file", () => {
  it("reads back exactly the keys, header and count it was written with", () => {
    const { entries, summary } = decode(encode(HEADER, ENTRIES));
    assert.deepEqual(entries, ENTRIES);
    assert.deepEqual([summary.header, summary.keyCount], [HEADER, 3]);
  });

  it("round-trips any set of binary keys and values under the prefix", () => {
    const keyValues = fc.uniqueArray(fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 200 })), {
      selector: ([key]) => Buffer.from(key).toString("hex"),
      maxLength: 50,
    });
    fc.assert(
      fc.property(keyValues, (pairs) => {
        const entries = pairs
          .map(([key, value]) => ({ key: Buffer.concat([PREFIX, key]), value: Buffer.from(value) }))
          .sort((a, b) => Buffer.compare(a.key, b.key))
          .map(({ key, value }) => entry(key, value));
        const decoded = decode(encode(HEADER, entries));
        assert.deepEqual(decoded.entries, entries);
        assert.equal(decoded.summary.keyCount, entries.length);
      }),
    );
  });

  it("is one valid JSON document with keyCount and checksum", () => {
    const document = JSON.parse(encode(HEADER, ENTRIES)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(document), ["format", "formatVersion", "header", "keys", "keyCount", "checksum"]);
    assert.deepEqual(document["keys"], ENTRIES);
    assert.equal(document["keyCount"], 3);
  });

  it("handles an export of no keys", () => {
    const text = encode(HEADER, []);
    assert.deepEqual(decode(text).entries, []);
    assert.deepEqual((JSON.parse(text) as { keys: unknown[] }).keys, []);
  });

  it("refuses a changed value by its checksum", () => {
    const text = replaceLine(encode(HEADER, ENTRIES), 1, (line) => line.replace('"value":"AAEC/w=="', '"value":"AAEC/g=="'));
    assert.throws(() => decode(text), /line 5: checksum mismatch: the file states [0-9a-f]{64}, its content hashes to [0-9a-f]{64}/);
  });

  it("refuses a file cut after a complete line as truncated", () => {
    const lines = encode(HEADER, ENTRIES).split("\n");
    assert.throws(() => decode(lines.slice(0, 3).join("\n")), /truncated: the file ends after 2 keys \(line 3\) without its closing line/);
  });

  it("refuses a file cut in the middle of a line", () => {
    const lines = encode(HEADER, ENTRIES).split("\n");
    const cut = [lines[0], lines[1], lines[2].slice(0, 20)].join("\n");
    assert.throws(
      () => decode(cut),
      (error: unknown) => error instanceof ExportFileError && /line 3: is not valid JSON/.test(error.message),
    );
  });

  it("refuses a removed key line by the stated count", () => {
    const lines = encode(HEADER, ENTRIES).split("\n");
    const withoutSecond = [lines[0], lines[1], lines[3], ...lines.slice(4)].join("\n");
    assert.throws(() => decode(withoutSecond), /states 3 keys, the file holds 2/);
  });

  it("refuses keys out of order and keys outside the header's prefix", () => {
    const reordered = encode(HEADER, [ENTRIES[1], ENTRIES[0]]);
    assert.throws(() => decode(reordered), /line 3: keys are not in ascending order/);
    const outside = encode(HEADER, [entry(Buffer.from("other/x"), Buffer.from("v"))]);
    assert.throws(() => decode(outside), /line 2: the key is outside the header's prefix/);
  });

  it("refuses another format version and unknown fields", () => {
    const newer = replaceLine(encode(HEADER, ENTRIES), 0, (line) => line.replace('"formatVersion":1', '"formatVersion":2'));
    assert.throws(() => decode(newer), /line 1: has format version 2; this tool reads version 1/);
    const extra = replaceLine(encode(HEADER, ENTRIES), 2, (line) => line.replace('{"key"', '{"ttl":"5","key"'));
    assert.throws(() => decode(extra), /line 3: the key entry has unknown fields ttl/);
  });
});
