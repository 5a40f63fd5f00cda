import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../../src/core/config";
import { configWith, onlyProblemOf } from "./fixtures";

const SNAPSHOT_URI = "s3://etcd-backups/etcd-prod/snapshots/20260701T000000Z-rev42-etcd-prod-0.db";
const SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

describe("AWS identifiers", () => {
  it("refuses a VPC ID without 8 or 17 hex digits", () => {
    assert.deepEqual(onlyProblemOf(configWith({ vpcId: "vpc-123" })), {
      key: "etcd-cluster:vpcId",
      message: 'etcd-cluster:vpcId is "vpc-123": not a VPC ID; write "vpc-" followed by 8 or 17 lowercase hex digits, e.g. vpc-0123456789abcdef0',
    });
  });

  it("refuses a subnet ID with another resource's prefix", () => {
    assert.deepEqual(onlyProblemOf(configWith({ subnetIds: ["sg-0a1b2c3d4e5f60718"] })), {
      key: "etcd-cluster:subnetIds[0]",
      message:
        'etcd-cluster:subnetIds[0] is "sg-0a1b2c3d4e5f60718": not a subnet ID; ' +
        'write "subnet-" followed by 8 or 17 lowercase hex digits, e.g. subnet-0123456789abcdef0',
    });
  });

  it("refuses a security group ID with a non-hex digit", () => {
    assert.deepEqual(onlyProblemOf(configWith({ clientSecurityGroupIds: ["sg-1234567x"] })), {
      key: "etcd-cluster:clientSecurityGroupIds[0]",
      message:
        'etcd-cluster:clientSecurityGroupIds[0] is "sg-1234567x": not a security group ID; ' +
        'write "sg-" followed by 8 or 17 lowercase hex digits, e.g. sg-0123456789abcdef0',
    });
  });

  it("refuses an AMI ID in upper case", () => {
    assert.deepEqual(onlyProblemOf(configWith({ ami: "ami-0A1B2C3D4E5F60718" })), {
      key: "etcd-cluster:ami",
      message: 'etcd-cluster:ami is "ami-0A1B2C3D4E5F60718": not an AMI ID; ' + 'write "ami-" followed by 8 or 17 lowercase hex digits, e.g. ami-0123456789abcdef0',
    });
  });

  it("accepts the older 8-digit form of an ID", () => {
    const { config } = resolveClusterConfig(configWith({ ami: "ami-0a1b2c3d" }), "test");
    assert.equal(config.ami, "ami-0a1b2c3d");
  });

  it("refuses a KMS alias, asking for the key ARN", () => {
    assert.deepEqual(onlyProblemOf(configWith({ kmsKeyId: "alias/etcd" })), {
      key: "etcd-cluster:kmsKeyId",
      message:
        'etcd-cluster:kmsKeyId is "alias/etcd": not a KMS key ARN; use the key\'s ARN, ' +
        "e.g. arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab " +
        "(a key ID or alias would read back as the ARN and replace every volume on the next update)",
    });
  });

  it("accepts a multi-Region KMS key ARN", () => {
    const arn = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    assert.equal(resolveClusterConfig(configWith({ kmsKeyId: arn }), "test").config.kmsKeyId, arn);
  });

  it("refuses a restore snapshot that is not an s3:// object URI", () => {
    assert.deepEqual(onlyProblemOf(configWith({ restore: { snapshotUri: "https://backups.example.com/snap.db", snapshotSha256: SHA256 } })), {
      key: "etcd-cluster:restore.snapshotUri",
      message:
        'etcd-cluster:restore.snapshotUri is "https://backups.example.com/snap.db": not an S3 object URI; ' +
        "write s3://<bucket>/<key>, e.g. s3://etcd-backups/etcd-prod/2026-07-01T00-00Z.db",
    });
  });

  it("refuses a restore without the snapshot's SHA-256, saying where to read it", () => {
    assert.deepEqual(onlyProblemOf(configWith({ restore: { snapshotUri: SNAPSHOT_URI } })), {
      key: "etcd-cluster:restore.snapshotSha256",
      message:
        "etcd-cluster:restore.snapshotSha256 is not set: a restore pins its snapshot; set restore.snapshotSha256 to the object's SHA-256 " +
        "(aws s3api head-object --bucket <bucket> --key <key> --query Metadata.sha256, or sha256sum of the file)",
    });
  });

  it("refuses a snapshot SHA-256 that is not 64 lowercase hex digits", () => {
    assert.deepEqual(onlyProblemOf(configWith({ restore: { snapshotUri: SNAPSHOT_URI, snapshotSha256: SHA256.toUpperCase() } })), {
      key: "etcd-cluster:restore.snapshotSha256",
      message:
        `etcd-cluster:restore.snapshotSha256 is "${SHA256.toUpperCase()}": not a SHA-256 digest; write the snapshot's 64 lowercase hex digits, ` +
        "as `sha256sum <file>` prints them or as the backup recorded them: aws s3api head-object --bucket <bucket> --key <key> --query Metadata.sha256",
    });
  });

  it("accepts a restore pinned to its snapshot's SHA-256", () => {
    const { config } = resolveClusterConfig(configWith({ restore: { snapshotUri: SNAPSHOT_URI, snapshotSha256: SHA256 } }), "test");
    assert.deepEqual(config.restore, { snapshotUri: SNAPSHOT_URI, snapshotSha256: SHA256 });
  });

  it("refuses a cluster name too long for the IAM role names built from it", () => {
    const clusterName = `etcd-${"x".repeat(35)}`;
    assert.deepEqual(onlyProblemOf(configWith({ clusterName })), {
      key: "etcd-cluster:clusterName",
      message:
        `etcd-cluster:clusterName is "${clusterName}": 40 characters, longer than the 39 the names built from it leave room for ` +
        '(IAM refuses role names over 64 characters, e.g. "<clusterName>-volume-snapshots-<7 hex>"); shorten it',
    });
  });

  it("refuses a cluster name that is not a DNS label", () => {
    assert.deepEqual(onlyProblemOf(configWith({ clusterName: "Etcd_Prod" })), {
      key: "etcd-cluster:clusterName",
      message:
        'etcd-cluster:clusterName is "Etcd_Prod": not a usable cluster name; use 2 to 39 lowercase letters, ' +
        "digits and hyphens, starting with a letter, e.g. etcd-prod",
    });
  });
});

describe("CIDR blocks", () => {
  it("refuses a prefix length above 32", () => {
    assert.deepEqual(onlyProblemOf(configWith({ clientCidrs: ["10.0.0.0/33"] })), {
      key: "etcd-cluster:clientCidrs[0]",
      message: 'etcd-cluster:clientCidrs[0] is "10.0.0.0/33": not an IPv4 CIDR block; ' + "write an address and a prefix length of 0 to 32, e.g. 10.0.0.0/16",
    });
  });

  it("refuses an octet above 255", () => {
    assert.equal(onlyProblemOf(configWith({ monitoringCidrs: ["10.0.256.0/24"] })).key, "etcd-cluster:monitoringCidrs[0]");
  });

  it("refuses set host bits, offering the network address and the /32", () => {
    assert.deepEqual(onlyProblemOf(configWith({ monitoringCidrs: ["10.20.96.17/24"] })), {
      key: "etcd-cluster:monitoringCidrs[0]",
      message:
        'etcd-cluster:monitoringCidrs[0] is "10.20.96.17/24": host bits are set; ' + "write the network address 10.20.96.0/24, or 10.20.96.17/32 for that one host",
    });
  });

  it("accepts a single host and the whole address space", () => {
    const { config } = resolveClusterConfig(configWith({ clientCidrs: ["192.168.1.7/32", "0.0.0.0/0"] }), "test");
    assert.deepEqual(config.clientCidrs, ["192.168.1.7/32", "0.0.0.0/0"]);
  });

  it("accepts an s3:// release mirror, with or without a prefix", () => {
    for (const url of ["s3://etcd-mirror/releases", "s3://etcd-mirror"]) {
      assert.equal(resolveClusterConfig(configWith({ etcdDownloadBaseUrl: url }), "test").config.etcdDownloadBaseUrl, url);
    }
  });

  it("refuses a release mirror that is neither http(s) nor an S3 bucket", () => {
    assert.deepEqual(onlyProblemOf(configWith({ etcdDownloadBaseUrl: "s3://Etcd_Mirror/releases" })), {
      key: "etcd-cluster:etcdDownloadBaseUrl",
      message:
        'etcd-cluster:etcdDownloadBaseUrl is "s3://Etcd_Mirror/releases": not a mirror base URL; write an http(s) URL without query ' +
        "or an S3 location, e.g. https://etcd-mirror.example.internal/releases or s3://etcd-mirror/releases",
    });
  });
});

describe("instance types", () => {
  it("accepts a size with a hyphen, as the metal sizes of newer families have (c7i.metal-24xl)", () => {
    for (const instanceType of ["c7i.metal-24xl", "r7iz.metal-16xl", "u-6tb1.metal", "m7i-flex.large"]) {
      assert.equal(resolveClusterConfig(configWith({ instanceType }), "test").config.instanceType, instanceType);
    }
  });

  it("refuses a name without a size, naming family and size as the fix", () => {
    assert.deepEqual(onlyProblemOf(configWith({ instanceType: "m7g" })), {
      key: "etcd-cluster:instanceType",
      message: 'etcd-cluster:instanceType is "m7g": not an EC2 instance type; write family and size, e.g. m6i.large or m7g.large',
    });
  });
});
