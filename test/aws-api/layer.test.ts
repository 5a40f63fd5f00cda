/** The checks of this layer can fail: each kind of refusal, on a value AWS refuses. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretValue } from "../../dev/mock-runtime/recorded-value";
import type { RecordedResource } from "../../dev/mock-runtime/run-record";
import { serviceModel } from "./botocore-models";
import { modelPatternRegExp } from "./java-pattern";
import { checkProgramRun } from "./program-requests";
import { checkRequest } from "./shape-check";

const rulesBroken = (service: string, operation: string, input: Record<string, unknown>) =>
  checkRequest(serviceModel(service), { service, operation, input }).violations.map((violation) => `${violation.where}: ${violation.rule}`);

function resource(type: string, inputs: RecordedResource["inputs"]): RecordedResource {
  const options = {
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    dependsOn: [],
    ignoreChanges: [],
    replaceOnChanges: [],
    additionalSecretOutputs: [],
  };
  return {
    type,
    name: "r",
    urn: `urn:${type}::r`,
    custom: true,
    id: "id-1",
    inputs,
    inputDependencies: {},
    state: inputs,
    options,
  };
}

describe("model patterns in JavaScript", () => {
  it("match the whole value, as Java's Matcher.matches does", () => {
    assert.equal(modelPatternRegExp("[0-9A-Za-z _-]+").test("every 6h, keep 28"), false);
    assert.equal(modelPatternRegExp("[0-9A-Za-z _-]+").test("etcd member volumes"), true);
  });

  it("read Unicode classes as Java does, and \\p{all} as any character", () => {
    assert.equal(modelPatternRegExp("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*").test("Équipe 日本 42"), true);
    assert.equal(modelPatternRegExp("[\\p{all}]*").test("(any)\n"), true);
  });

  it("refuse Java syntax they cannot translate faithfully", () => {
    assert.throws(() => modelPatternRegExp("\\p{Alpha}+"), /no JavaScript equivalent/);
  });
});

describe("a request is checked against its operation's input shape", () => {
  it("refuses a value outside the model's pattern, naming the model file and shape", () => {
    const [violation] = checkRequest(serviceModel("dlm"), {
      service: "dlm",
      operation: "CreateLifecyclePolicy",
      input: { Description: "etcd: every 6h" },
    }).violations.filter((v) => v.where.endsWith("Description"));
    assert.equal(violation?.rule, "pattern [0-9A-Za-z _-]+");
    assert.match(violation?.source ?? "", /^botocore \d+\.\d+\.\d+ dlm\/2018-01-12\/service-2\.json shape PolicyDescription$/);
  });

  it("refuses too long a string, an unknown enum value, a number out of range, and an unknown member", () => {
    assert.deepEqual(
      rulesBroken("iam", "CreateRole", {
        RoleName: "r".repeat(65),
        AssumeRolePolicyDocument: "{}",
        MaxSessionDuration: 60,
        Color: "red",
      }),
      ["iam:CreateRole.RoleName: max 64", "iam:CreateRole.MaxSessionDuration: min 3600", "iam:CreateRole: no member Color in CreateRoleRequest"],
    );
    assert.deepEqual(rulesBroken("ec2", "CreateVolume", { AvailabilityZone: "eu-west-1a", VolumeType: "gp4" }), [
      "ec2:CreateVolume.VolumeType: enum standard | io1 | io2 | gp2 | sc1 | st1 | gp3",
    ]);
  });

  it("refuses a missing required member and a wrong type", () => {
    assert.deepEqual(rulesBroken("ec2", "CreateVolume", { Size: "64" }), ["ec2:CreateVolume.AvailabilityZone: required", "ec2:CreateVolume.Size: type integer"]);
  });

  it("applies documented limits the model leaves out (an EC2 tag value over 256 characters)", () => {
    assert.deepEqual(
      rulesBroken("ec2", "CreateVolume", {
        AvailabilityZone: "eu-west-1a",
        TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "k", Value: "v".repeat(257) }] }],
      }),
      ["ec2:CreateVolume.TagSpecifications[0].Tags[0].Value: max 256"],
    );
  });

  it("refuses a parameter value over 4096 bytes in the standard tier, and allows it up to 8192 in the advanced tier", () => {
    const parameter = (value: string, tier?: string) => ({ Name: "/etcd/x", Type: "SecureString", Value: value, ...(tier === undefined ? {} : { Tier: tier }) });
    assert.deepEqual(rulesBroken("ssm", "PutParameter", parameter("x".repeat(4096), "Standard")), []);
    assert.deepEqual(rulesBroken("ssm", "PutParameter", parameter("x".repeat(4097), "Standard")), [
      "ssm:PutParameter: Value at most 4096 bytes in the Standard tier (is 4097)",
    ]);
    assert.deepEqual(rulesBroken("ssm", "PutParameter", parameter("x".repeat(4097))), [
      "ssm:PutParameter: Value at most 4096 bytes in the default (Standard) tier (is 4097)",
    ]);
    assert.deepEqual(rulesBroken("ssm", "PutParameter", parameter("x".repeat(8192), "Advanced")), []);
  });
});

/** An update run that declared only `resources`. */
const runOf = (...resources: RecordedResource[]) => ({ stack: "t", preview: false, outputs: {}, diagnostics: [], invokes: [], resources });

describe("a run's resources", () => {
  it("fail the check when their type has no mapping", () => {
    const run = runOf(resource("aws:sqs/queue:Queue", { name: "q" }));
    assert.deepEqual(checkProgramRun(run, "eu-west-1").unmappedTypes, ["aws:sqs/queue:Queue"]);
  });

  it("fail the check when an input is not sent by the mapping", () => {
    const inputs = { name: "/p", type: "SecureString", value: new SecretValue("v"), allowedPattern: ".*" };
    const run = runOf(resource("aws:ssm/parameter:Parameter", inputs));
    assert.deepEqual(checkProgramRun(run, "eu-west-1").unreadInputs, ["aws:ssm/parameter:Parameter allowedPattern"]);
  });
});
