import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../../src/core/config";
import { configWith, onlyProblemOf } from "./fixtures";

describe("member image", () => {
  it("refuses the vendor's Debian 13 image, which has no SSM agent for the health gates", () => {
    assert.deepEqual(onlyProblemOf(configWith({ osImage: "debian13" })), {
      key: "etcd-cluster:osImage",
      message:
        'etcd-cluster:osImage is "debian13": Debian\'s images ship no SSM agent, so the health gates (aws ssm send-command) ' +
        'and Session Manager cannot reach the members; set it to "al2023", or set etcd-cluster:ami to a Debian 13 image ' +
        "with amazon-ssm-agent installed",
    });
  });

  it("accepts Debian 13 with an explicit image that carries the agent", () => {
    const { config } = resolveClusterConfig(configWith({ osImage: "debian13", ami: "ami-0123456789abcdef0" }), "test");
    assert.equal(config.osImage, "debian13");
    assert.equal(config.ami, "ami-0123456789abcdef0");
  });

  it("accepts Amazon Linux 2023 looked up from its public parameter", () => {
    const { config } = resolveClusterConfig(configWith({ osImage: "al2023" }), "test");
    assert.equal(config.ami, undefined);
  });
});
