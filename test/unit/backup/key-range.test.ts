import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keyAfter, prefixRange } from "../../../ops/etcd-ops/key-range";

describe("prefixRange", () => {
  it("ends a prefix's range at the prefix with its last byte incremented", () => {
    assert.deepEqual(prefixRange(Buffer.from("app/")), { key: Buffer.from("app/"), rangeEnd: Buffer.from("app0") });
  });

  it("drops trailing 0xff bytes before incrementing", () => {
    assert.deepEqual(prefixRange(Buffer.from([0x61, 0xff, 0xff])).rangeEnd, Buffer.from([0x62]));
  });

  it("covers the whole keyspace for the empty prefix: from \\0, no upper bound", () => {
    assert.deepEqual(prefixRange(Buffer.alloc(0)), { key: Buffer.from([0]), rangeEnd: Buffer.from([0]) });
  });

  it("has no upper bound for a prefix of only 0xff bytes", () => {
    assert.deepEqual(prefixRange(Buffer.from([0xff])), { key: Buffer.from([0xff]), rangeEnd: Buffer.from([0]) });
  });
});

describe("keyAfter", () => {
  it("is the key followed by a zero byte: nothing sorts between them", () => {
    assert.deepEqual(keyAfter(Buffer.from("k1")), Buffer.from([0x6b, 0x31, 0x00]));
  });
});
