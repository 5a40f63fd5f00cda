import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { parseS3Uri } from "../../../src/core/formats/s3-uri";
import { shellQuote } from "../../../src/core/formats/shell-quote";

describe("shellQuote", () => {
  it("hands bash every value byte for byte, however hostile", () => {
    const values = ["plain", "", "it's", "$(reboot)", "`id`", "a b\tc\nd", "\\'\\\"", "*?[!]", "--flag", "ünïcödé"];
    for (const value of values) {
      const echoed = spawnSync("bash", ["-c", `printf %s ${shellQuote(value)}`], { encoding: "utf8" }).stdout;
      assert.equal(echoed, value);
    }
  });
});

describe("parseS3Uri", () => {
  it("splits s3://bucket/key, keeping slashes and dots in the key", () => {
    assert.deepEqual(parseS3Uri("s3://etcd-prod-backups/etcd-prod/snapshots/a.b.db"), { bucket: "etcd-prod-backups", key: "etcd-prod/snapshots/a.b.db" });
  });

  it("refuses other schemes, bucket-only URIs and invalid bucket names", () => {
    for (const uri of ["https://bucket/key", "s3://etcd-prod-backups", "s3://etcd-prod-backups/", "s3://UPPER/key", "s3://ab/key"]) {
      assert.throws(() => parseS3Uri(uri), /is not an S3 object URI/, uri);
    }
  });
});
