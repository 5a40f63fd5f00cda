import { test } from "node:test";
import assert from "node:assert/strict";
import { instanceArchitecture } from "../../../src/core/plan/architecture";

test("Graviton types (a g right after the generation) are arm64", () => {
  const graviton = ["t4g.small", "m6g.large", "m7gd.xlarge", "c7gn.2xlarge", "r8g.medium"];
  const gravitonSpecialised = ["x2gd.large", "im4gn.large", "is4gen.medium", "g5g.xlarge", "hpc7g.4xlarge"];
  for (const type of [...graviton, ...gravitonSpecialised]) {
    assert.equal(instanceArchitecture(type), "arm64", type);
  }
});

test("a1, the first Graviton family, is arm64 although it has no g", () => {
  assert.equal(instanceArchitecture("a1.large"), "arm64");
});

test("Intel and AMD types are amd64, including GPU families whose letters start with g", () => {
  const general = ["t3.micro", "m5.large", "m6i.xlarge", "m7i-flex.large", "c6a.large", "r5dn.large", "z1d.large"];
  const special = ["g4dn.xlarge", "g4ad.xlarge", "x2iezn.2xlarge", "u-6tb1.metal", "u7i-12tb.224xlarge"];
  for (const type of [...general, ...special]) {
    assert.equal(instanceArchitecture(type), "amd64", type);
  }
});

test("a name that is not an instance type is refused with the name in the message", () => {
  assert.throws(() => instanceArchitecture("graviton-large"), /"graviton-large" is not an EC2 instance type/);
});
