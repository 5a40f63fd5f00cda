import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { placementProblems, type PlacementFacts } from "../../../src/core/plan/placement-rules";

const THREE_ZONES: PlacementFacts["subnets"] = [
  { id: "subnet-0a", availabilityZone: "eu-west-1a" },
  { id: "subnet-0b", availabilityZone: "eu-west-1b" },
  { id: "subnet-0c", availabilityZone: "eu-west-1c" },
];
const facts = (overrides: Partial<PlacementFacts>): PlacementFacts => ({
  instanceType: "m7g.xlarge",
  instanceArchitecture: "arm64",
  subnets: THREE_ZONES,
  zonesOffering: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  ...overrides,
});

describe("placement rules", () => {
  it("refuse a pinned x86_64 image for a Graviton instance type, naming ami, instanceType and both architectures", () => {
    assert.deepEqual(placementProblems(facts({ pinnedImage: { id: "ami-0523e26d5fb5df202", architecture: "x86_64" } })), [
      {
        key: "etcd-cluster:ami",
        message:
          'etcd-cluster:ami is "ami-0523e26d5fb5df202": an x86_64 image, but etcd-cluster:instanceType m7g.xlarge runs arm64: ' +
          "EC2 would refuse to launch it after the member's old instance is gone; pin an arm64 image, remove etcd-cluster:ami " +
          "to use the OS's current arm64 image, or choose an x86_64 instance type",
      },
    ]);
  });

  it("refuse a pinned arm64 image for an x86_64 instance type", () => {
    const [problem] = placementProblems(facts({ instanceType: "m6i.xlarge", instanceArchitecture: "amd64", pinnedImage: { id: "ami-0c", architecture: "arm64" } }));
    assert.match(problem?.message ?? "", /an arm64 image, but etcd-cluster:instanceType m6i\.xlarge runs x86_64/);
  });

  it("accept a pinned image of the instance type's architecture, and no pinned image at all", () => {
    assert.deepEqual(placementProblems(facts({ pinnedImage: { id: "ami-0c", architecture: "arm64" } })), []);
    assert.deepEqual(placementProblems(facts({})), []);
  });

  it("refuse a pinned image the lookup cannot find, with the lookup's error", () => {
    const [problem] = placementProblems(facts({ pinnedImage: { id: "ami-0d", lookupError: "Your query returned no results." } }));
    assert.equal(
      problem?.message,
      'etcd-cluster:ami is "ami-0d": looking the image up failed (Your query returned no results.); set the ID of an image in this region that the account may launch',
    );
  });

  it("refuse each subnet whose AZ does not offer the instance type, naming the subnet and the AZ", () => {
    assert.deepEqual(placementProblems(facts({ instanceType: "m7i-flex.large", instanceArchitecture: "amd64", zonesOffering: ["eu-west-1a", "eu-west-1b"] })), [
      {
        key: "etcd-cluster:subnetIds[2]",
        message:
          'etcd-cluster:subnetIds[2] is "subnet-0c": in eu-west-1c, where EC2 does not offer etcd-cluster:instanceType m7i-flex.large; ' +
          "choose an instance type offered in every subnet's AZ (aws ec2 describe-instance-type-offerings --location-type " +
          "availability-zone --filters Name=instance-type,Values=m7i-flex.large) or a subnet in another AZ",
      },
    ]);
  });
});
