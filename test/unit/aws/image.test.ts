import { test } from "node:test";
import assert from "node:assert/strict";
import { osImageParameterName } from "../../../src/pulumi/image";

test("Amazon Linux 2023 is read from Amazon's parameter, x86_64 named as AWS names it", () => {
  assert.equal(osImageParameterName("al2023", "amd64"), "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
  assert.equal(osImageParameterName("al2023", "arm64"), "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
});

test("Debian 13 is read from Debian's parameter with Debian's architecture names", () => {
  assert.equal(osImageParameterName("debian13", "amd64"), "/aws/service/debian/release/13/latest/amd64");
  assert.equal(osImageParameterName("debian13", "arm64"), "/aws/service/debian/release/13/latest/arm64");
});
