/**
 * The placement check runs the account's lookups (here: the fake account's, dev/mock-runtime/
 * fake-ec2-catalog.ts) before the program declares anything, in preview and update alike.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runProgram, type RunProgramOptions } from "../../dev/mock-runtime/run-stack";
import { PINNED_FAKE_IMAGES } from "../../dev/mock-runtime/fake-ec2-catalog";

const ARM64_IMAGE = Object.entries(PINNED_FAKE_IMAGES).find(([, image]) => image.architecture === "arm64")![0];

/** Runs the stack with the overrides; the types of the resources it asked for, and its error. */
async function refusedRun(
  stack: string,
  overrides: Record<string, unknown>,
  preview = true,
  account: Pick<RunProgramOptions, "accountSubnets"> = {},
): Promise<{ declared: string[]; message: string }> {
  const declared: string[] = [];
  const onResourceRequest = (type: string) => {
    if (type !== "pulumi:pulumi:Stack") declared.push(type);
  };
  const error = await runProgram({ stack, preview, configOverrides: overrides, onResourceRequest, ...account }).then(
    () => assert.fail("expected the run to be refused"),
    (failure: unknown) => failure,
  );
  return { declared, message: error instanceof Error ? error.message : String(error) };
}

describe("placement check before anything changes", () => {
  it("refuses prod moved to a Graviton type with its x86_64 image still pinned, in the preview, declaring nothing", async () => {
    const { declared, message } = await refusedRun("prod", { instanceType: "m7g.xlarge" });
    assert.deepEqual(declared, []);
    assert.match(message, /etcd-cluster:ami is "ami-0523e26d5fb5df202": an x86_64 image, but etcd-cluster:instanceType m7g\.xlarge runs arm64/);
  });

  it("accepts the Graviton type with an arm64 image pinned", async () => {
    const run = await runProgram({
      stack: "prod",
      preview: true,
      configOverrides: { instanceType: "m7g.xlarge", ami: ARM64_IMAGE },
    });
    assert.ok(run.resources.some((resource) => resource.type === "aws:ec2/instance:Instance"));
  });

  it("refuses a pinned image the account cannot find, in an update too", async () => {
    const { declared, message } = await refusedRun("prod", { ami: "ami-0123456789abcdef0" }, false);
    assert.deepEqual(declared, []);
    assert.match(message, /etcd-cluster:ami is "ami-0123456789abcdef0": looking the image up failed \(.*no results/);
  });

  it("refuses an instance type not offered in a subnet's AZ, naming the subnet and the AZ", async () => {
    const { declared, message } = await refusedRun("staging", { instanceType: "m7i-flex.large" });
    assert.deepEqual(declared, []);
    assert.match(
      message,
      /etcd-cluster:subnetIds\[2\] is "subnet-0e9aa33c6acc53b90": in eu-west-1c, where EC2 does not offer etcd-cluster:instanceType m7i-flex\.large/,
    );
    assert.doesNotMatch(message, /subnetIds\[[01]\]/);
  });

  it("refuses a subnet of another VPC, naming the subnet, both VPCs and the fix", async () => {
    const foreign = { id: "subnet-0f0f0f0f0f0f0f0f0", availabilityZone: "eu-west-1c", vpcId: "vpc-0aaaaaaaaaaaaaaaa" };
    const subnetIds = ["subnet-02f0d0edafa1fdc7c", "subnet-0b22844c40d129de7", foreign.id];
    const { declared, message } = await refusedRun("dev", { subnetIds }, true, { accountSubnets: [foreign] });
    assert.deepEqual(declared, []);
    assert.match(
      message,
      /etcd-cluster:subnetIds\[2\] is "subnet-0f0f0f0f0f0f0f0f0": in vpc-0aaaaaaaaaaaaaaaa, not in etcd-cluster:vpcId vpc-089e5814752ae88ad: .*list subnets of vpc-089e5814752ae88ad, or set etcd-cluster:vpcId to vpc-0aaaaaaaaaaaaaaaa/,
    );
  });

  it("refuses two subnets in one AZ where data is protected (prod), naming both", async () => {
    const sameZone = { id: "subnet-0a2a2a2a2a2a2a2a2", availabilityZone: "eu-west-1a", vpcId: "vpc-0c248b65715ead6cc" };
    const subnetIds = ["subnet-02527e0d4f080b50c", "subnet-06b82946f1c8a0af4", sameZone.id];
    const { declared, message } = await refusedRun("prod", { subnetIds }, true, { accountSubnets: [sameZone] });
    assert.deepEqual(declared, []);
    assert.match(
      message,
      /etcd-cluster:subnetIds\[2\] is "subnet-0a2a2a2a2a2a2a2a2": in eu-west-1a, like etcd-cluster:subnetIds\[0\] subnet-02527e0d4f080b50c: .* \(an error because etcd-cluster:protectData is true\)/,
    );
  });

  it("warns about two subnets in one AZ where data is not protected (dev), and goes ahead", async () => {
    const sameZone = { id: "subnet-0a2a2a2a2a2a2a2a2", availabilityZone: "eu-west-1a", vpcId: "vpc-089e5814752ae88ad" };
    const subnetIds = ["subnet-02f0d0edafa1fdc7c", "subnet-0b22844c40d129de7", sameZone.id];
    const run = await runProgram({ stack: "dev", preview: true, configOverrides: { subnetIds }, accountSubnets: [sameZone] });
    const warnings = run.diagnostics.filter((diagnostic) => diagnostic.severity === "warning").map((diagnostic) => diagnostic.message);
    assert.ok(
      warnings.some((warning) => /subnetIds\[2\] is "subnet-0a2a2a2a2a2a2a2a2": in eu-west-1a, like etcd-cluster:subnetIds\[0\]/.test(warning)),
      warnings.join("\n"),
    );
  });
});
