/**
 * What each member's role may do, as AWS would decide it: every policy the program attaches to the
 * role (inline, and AWS-managed ones from their documented statements) and the KMS key policies
 * involved (SSM's `aws/ssm` key, which every principal of the account may use through SSM, and the
 * stack's own key), judged by a real policy evaluator. A member reads its own TLS parameters and
 * the CA's and no other SecureString, writes only under its cluster's snapshot prefix, and keeps
 * what the SSM agent needs for Session Manager and Run Command; nothing else.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { caParameterName, memberParameterPath } from "../../src/core/member/ssm-parameters";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { accountOf, isAllowed, type EvaluatedPrincipal } from "../support/iam-evaluation";
import { awsManagedSsmKey, customerManagedKey, type KmsKey } from "../support/kms-key-policies";
import { evaluatedRole, IAM_TYPES, memberRoles } from "../support/program-roles";
import { onlyResourceOfType, resourcesOfType, TYPES } from "../support/resource-graph";
import { ssmDecryptRequest, waysToRead, type SecureStringParameter } from "../support/secure-string-access";
import { describeEachStackRun } from "../support/stack-runs";
import { recordedText } from "../../dev/mock-runtime/recorded-value";

/**
 * Every action a member's role is allowed, and why. The SSM agent's actions are the ones AWS lists
 * for Session Manager and Run Command (Systems Manager User Guide, "Create a custom IAM role for
 * Session Manager" and "Configure instance permissions required for Systems Manager"); they carry
 * no data of other resources.
 */
const JUSTIFIED_ACTIONS: Readonly<Record<string, string>> = {
  "ssm:UpdateInstanceInformation": "the SSM agent registers the instance (Session Manager, Run Command)",
  "ssmmessages:CreateControlChannel": "Session Manager's control channel",
  "ssmmessages:CreateDataChannel": "Session Manager's data channel",
  "ssmmessages:OpenControlChannel": "Session Manager's control channel",
  "ssmmessages:OpenDataChannel": "Session Manager's data channel",
  "ec2messages:AcknowledgeMessage": "Run Command delivery (health gates, member removal)",
  "ec2messages:DeleteMessage": "Run Command delivery",
  "ec2messages:FailMessage": "Run Command delivery",
  "ec2messages:GetEndpoint": "Run Command delivery",
  "ec2messages:GetMessages": "Run Command delivery",
  "ec2messages:SendReply": "Run Command results",
  "ssm:GetParameter": "the boot script fetches the member's own TLS files and the CA (own parameter ARNs only)",
  "kms:Decrypt": "SSM decrypts the member's own parameters with the stack's key (encryption context: their ARNs); S3 reads of the bucket under that key",
  "kms:GenerateDataKey": "S3 encrypts uploaded snapshots with the stack's key (only through S3, only this bucket)",
  "s3:PutObject": "the backup job uploads snapshots under <cluster>/snapshots/",
  "s3:AbortMultipartUpload": "a failed multipart snapshot upload is cleaned up",
  "s3:GetObject":
    "the bootstrap reads the member's own bundle (<cluster>/members/<member>/), a restore exactly the snapshot restore.snapshotUri names, an s3:// mirror's boot exactly the release tarball",
  "cloudwatch:PutMetricData": "backup successes and certificate life into the cluster's own namespace (alarms)",
};

/** The actions the SSM agent needs for Session Manager and Run Command, and on what. */
const SSM_AGENT_REQUESTS = (instanceArn: string) => [
  { action: "ssm:UpdateInstanceInformation", resource: instanceArn },
  ...["CreateControlChannel", "CreateDataChannel", "OpenControlChannel", "OpenDataChannel"].map((name) => ({ action: `ssmmessages:${name}`, resource: "*" })),
  ...["AcknowledgeMessage", "DeleteMessage", "FailMessage", "GetEndpoint", "GetMessages", "SendReply"].map((name) => ({
    action: `ec2messages:${name}`,
    resource: "*",
  })),
];

/** Every action some Allow statement of the role names (wildcards as written). */
function allowedActions(role: EvaluatedPrincipal): string[] {
  const actions = new Set<string>();
  for (const policy of role.identityPolicies.values()) {
    for (const statement of (policy as { Statement: { Effect: string; Action: string | string[] }[] }).Statement) {
      if (statement.Effect !== "Allow") continue;
      for (const action of [statement.Action].flat()) actions.add(action);
    }
  }
  return [...actions].sort();
}

/** What the member-permission tests need to know about one run. */
interface PermissionCase {
  readonly clusterName: string;
  readonly region: string;
  /** The stack's `kmsKeyId`, when it sets one. */
  readonly kmsKeyArn?: string;
  readonly run: () => ProgramRun;
}

function describeMemberPermissions({ clusterName, region, kmsKeyArn, run }: PermissionCase): void {
  const roles = () => memberRoles(run());
  const account = () => accountOf([...roles().values()][0].roleArn)!;
  /** The key of the stack's parameters: its own when kmsKeyId is set, else aws/ssm. */
  const stackKey = (): KmsKey => (kmsKeyArn === undefined ? awsManagedSsmKey(account(), region) : customerManagedKey(kmsKeyArn, [account()]));
  const parameters = (): (SecureStringParameter & { name: string })[] =>
    resourcesOfType(run(), TYPES.parameter).map((parameter) => ({
      name: recordedText(parameter.inputs.name),
      arn: recordedText(parameter.state.arn),
      key: stackKey(),
    }));
  const bucketArn = () => recordedText(onlyResourceOfType(run(), "aws:s3/bucket:Bucket").state.arn);
  const parameterArn = (name: string) => `arn:aws:ssm:${region}:${account()}:parameter${name}`;

  it("lets each member read exactly its own four TLS parameters and the CA's, by ssm:GetParameter only", async () => {
    for (const [member, role] of roles()) {
      const readable: string[] = [];
      for (const parameter of parameters()) {
        const ways = await waysToRead(role, parameter);
        if (ways.length > 0) readable.push(`${parameter.name}: ${ways.join(", ")}`);
      }
      const own = parameters()
        .map((parameter) => parameter.name)
        .filter((name) => name.startsWith(`${memberParameterPath(clusterName, member)}/`) || name === caParameterName(clusterName));
      assert.equal(own.length, 5, member);
      assert.deepEqual(readable.sort(), own.map((name) => `${name}: ssm:GetParameter`).sort(), member);
    }
  });

  it("lets no member read an unrelated SecureString, under the aws/ssm key or a customer key", async () => {
    const unrelated = [
      "/app/database/password",
      `/etcd/${clusterName}-other/members/${clusterName}-other-0/peer.key`,
      `/etcd/${clusterName}/members/${clusterName}-6/server.key`,
      `/etcd/${clusterName}/admin.key`,
    ];
    const keys = [
      awsManagedSsmKey(account(), region),
      customerManagedKey(`arn:aws:kms:${region}:${account()}:key/00000000-0000-4000-8000-0000000000aa`),
      ...(kmsKeyArn === undefined ? [] : [stackKey()]),
    ];
    for (const [member, role] of roles()) {
      for (const name of unrelated) {
        for (const key of keys) {
          assert.deepEqual(await waysToRead(role, { arn: parameterArn(name), key }), [], `${member} reads ${name} under ${key.arn}`);
        }
      }
    }
  });

  if (kmsKeyArn !== undefined) {
    it("lets each member decrypt with the stack's key only its own parameters' ciphertext, and only through SSM", async () => {
      const key = stackKey();
      for (const [member, role] of roles()) {
        for (const parameter of parameters()) {
          const own = parameter.name.startsWith(`${memberParameterPath(clusterName, member)}/`) || parameter.name === caParameterName(clusterName);
          const request = ssmDecryptRequest(parameter, account());
          assert.equal(await isAllowed(role, request), own, `${member}: kms:Decrypt via SSM of ${parameter.name}`);
          const direct = { ...request, context: { "kms:EncryptionContext:PARAMETER_ARN": parameter.arn, "kms:CallerAccount": account() } };
          assert.equal(await isAllowed(role, direct), false, `${member}: kms:Decrypt called directly for ${parameter.name}`);
        }
        assert.equal(
          await isAllowed(role, { action: "kms:Decrypt", resource: key.arn, resourcePolicy: key.policy }),
          false,
          `${member}: kms:Decrypt without context`,
        );
      }
    });
  }

  it("lets each member read its own bundles, and no other member's or cluster's", async () => {
    const bundle = (cluster: string, member: string) => `${bucketArn()}/${cluster}/members/${member}/bundle-${"0".repeat(64)}.tar.gz`;
    for (const [member, role] of roles()) {
      const cases: [string, boolean][] = [
        [bundle(clusterName, member), true],
        ...[...roles().keys()].filter((other) => other !== member).map((other): [string, boolean] => [bundle(clusterName, other), false]),
        [bundle(`${clusterName}-other`, member), false],
        [`${bucketArn()}/${clusterName}/members/${member}-x/bundle.tar.gz`, false],
      ];
      for (const [object, expected] of cases) {
        assert.equal(await isAllowed(role, { action: "s3:GetObject", resource: object, resourceAccount: account() }), expected, `${member}: s3:GetObject ${object}`);
      }
      assert.equal(
        await isAllowed(role, { action: "s3:PutObject", resource: bundle(clusterName, member), resourceAccount: account() }),
        false,
        `${member} writes its bundle`,
      );
    }
  });

  it("lets each member put objects only under its cluster's snapshot prefix, and read, delete or list none", async () => {
    const bucket = bucketArn();
    const cases: [string, boolean][] = [
      [`${bucket}/${clusterName}/snapshots/20260101T000000Z-rev42-${clusterName}-0.db`, true],
      [`${bucket}/${clusterName}/other/file`, false],
      [`${bucket}/${clusterName}-other/snapshots/x.db`, false],
      [`${bucket}/x.db`, false],
      ["arn:aws:s3:::some-other-bucket/" + `${clusterName}/snapshots/x.db`, false],
    ];
    for (const [member, role] of roles()) {
      for (const [object, expected] of cases) {
        for (const action of ["s3:PutObject", "s3:AbortMultipartUpload"]) {
          assert.equal(await isAllowed(role, { action, resource: object, resourceAccount: account() }), expected, `${member}: ${action} ${object}`);
        }
        for (const action of ["s3:GetObject", "s3:DeleteObject"]) {
          assert.equal(await isAllowed(role, { action, resource: object, resourceAccount: account() }), false, `${member}: ${action} ${object}`);
        }
      }
      assert.equal(await isAllowed(role, { action: "s3:ListBucket", resource: bucket, resourceAccount: account() }), false, `${member}: s3:ListBucket`);
    }
  });

  if (kmsKeyArn !== undefined) {
    it("lets each member use the stack's key for S3 only for its own backup bucket", async () => {
      const key = stackKey();
      const s3Request = (action: string, bucket: string) => ({
        action,
        resource: key.arn,
        resourcePolicy: key.policy,
        context: { "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:CallerAccount": account(), "kms:EncryptionContext:aws:s3:arn": bucket },
      });
      for (const [member, role] of roles()) {
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
          assert.equal(await isAllowed(role, s3Request(action, bucketArn())), true, `${member}: ${action} for the backup bucket`);
          assert.equal(await isAllowed(role, s3Request(action, "arn:aws:s3:::some-other-bucket")), false, `${member}: ${action} for another bucket`);
        }
      }
    });
  }

  it("lets each member put CloudWatch metric data only into its cluster's namespace", async () => {
    const cases: [string | undefined, boolean][] = [
      [`etcd/${clusterName}`, true],
      [`etcd/${clusterName}-other`, false],
      ["AWS/EC2", false],
      [undefined, false],
    ];
    for (const [member, role] of roles()) {
      for (const [namespace, expected] of cases) {
        const context: Record<string, string> = namespace === undefined ? {} : { "cloudwatch:namespace": namespace };
        assert.equal(await isAllowed(role, { action: "cloudwatch:PutMetricData", resource: "*", context }), expected, `${member}: namespace ${namespace}`);
      }
    }
  });

  it("keeps every permission the SSM agent needs for Session Manager and Run Command", async () => {
    for (const [member, role] of roles()) {
      const instanceArn = `arn:aws:ec2:${region}:${account()}:instance/i-0123456789abcdef0`;
      for (const request of SSM_AGENT_REQUESTS(instanceArn)) {
        assert.equal(await isAllowed(role, request), true, `${member}: ${request.action}`);
      }
    }
  });

  it("grants each member no action beyond the justified list", () => {
    for (const [member, role] of roles()) {
      const unjustified = allowedActions(role).filter((action) => JUSTIFIED_ACTIONS[action] === undefined);
      assert.deepEqual(unjustified, [], member);
    }
  });
}

describeEachStackRun(
  "the volume snapshot role (DLM) as AWS evaluates it",
  ({ region, run }) => {
    it("reads no SecureString of the stack and no object of the backup bucket", async () => {
      const dlmRoles = resourcesOfType(run(), IAM_TYPES.role).filter((role) => recordedText(role.inputs.assumeRolePolicy).includes("dlm.amazonaws.com"));
      assert.equal(dlmRoles.length, 1);
      const role = evaluatedRole(run(), dlmRoles[0]);
      const account = accountOf(role.roleArn)!;
      for (const parameter of resourcesOfType(run(), TYPES.parameter)) {
        const arn = recordedText(parameter.state.arn);
        assert.deepEqual(await waysToRead(role, { arn, key: awsManagedSsmKey(account, region) }), [], arn);
      }
      const bucket = recordedText(onlyResourceOfType(run(), "aws:s3/bucket:Bucket").state.arn);
      assert.equal(await isAllowed(role, { action: "s3:GetObject", resource: `${bucket}/x`, resourceAccount: account }), false);
    });
  },
  ["update"],
);

describeEachStackRun(
  "member permissions as AWS evaluates them",
  ({ config, region, run }) => describeMemberPermissions({ clusterName: config.clusterName, region, kmsKeyArn: config.kmsKeyId, run }),
  ["update"],
);

describe("member permissions with a customer key in the members' own account (dev with kmsKeyId)", () => {
  const KEY = "arn:aws:kms:eu-west-1:123456789012:key/5b0b8c4e-2d1f-4b8e-9f3a-7c6d5e4f3a2b";
  let completed: ProgramRun | undefined;
  before(async () => {
    completed = await runProgram({ stack: "dev", preview: false, configOverrides: { kmsKeyId: KEY } });
  });
  describeMemberPermissions({
    clusterName: "etcd-dev",
    region: "eu-west-1",
    kmsKeyArn: KEY,
    run: () => {
      if (completed === undefined) throw new Error("the dev run with kmsKeyId failed");
      return completed;
    },
  });
});
