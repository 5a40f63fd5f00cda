/**
 * The deployer's policy (src/core/aws/deployer-policy.ts), judged by a real policy evaluator: it
 * allows every AWS CLI call the health gates, pre-disruption gates and member removals make (the scripts the program
 * declares, run with a recording stand-in CLI), every request `pulumi up`/`destroy` makes for
 * each declared resource, and refuses the same requests on another cluster's resources. Its
 * committed file per stack is current and is the stack output `deployerPolicy`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import { partitionOfRegion } from "../../src/core/aws/arn";
import { TAG_KEYS } from "../../src/core/aws/tags";
import { deployerPolicyFileText, deployerPolicyPath } from "../../dev/mock-runtime/deployer-policy-file";
import { FAKE_ACCOUNT_ID } from "../../dev/mock-runtime/fake-aws-ids";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { isRecordedObject, recordedText } from "../../dev/mock-runtime/recorded-value";
import { runWithRecordingAwsCli } from "../support/aws-cli-recorder";
import { iamRequestsOf } from "../support/aws-cli-requests";
import { decide, type AwsRequest, type EvaluatedPrincipal } from "../support/iam-evaluation";
import { customerManagedKey } from "../support/kms-key-policies";
import { memberOf, resourcesOfType, TYPES } from "../support/resource-graph";
import { invokeRequests, resourceRequests } from "../support/resource-requests";
import { describeEachStackRun } from "../support/stack-runs";

/** The deployer: a role in the cluster's account with the stack's committed policy. */
function deployer(stack: string): EvaluatedPrincipal {
  return {
    roleArn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/etcd-deployer`,
    identityPolicies: new Map([["deployer", JSON.parse(readFileSync(deployerPolicyPath(stack), "utf8"))]]),
  };
}

/** The requests among these that AWS would not allow, labelled. */
async function refused(principal: EvaluatedPrincipal, requests: readonly { label: string; request: AwsRequest }[]): Promise<string[]> {
  const refusals: string[] = [];
  for (const { label, request } of requests) {
    const decision = await decide(principal, request);
    if (decision !== "Allowed") refusals.push(`${label}: ${request.action} on ${request.resource} ${JSON.stringify(request.context ?? {})} → ${decision}`);
  }
  return refusals;
}

/** Tags of each instance of the run, by instance ID. */
function instanceTags(run: ProgramRun): Map<string, Record<string, string>> {
  return new Map(
    resourcesOfType(run, TYPES.instance).map((instance) => {
      const tags = isRecordedObject(instance.inputs.tags) ? instance.inputs.tags : {};
      return [String(instance.id), Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, recordedText(value)]))];
    }),
  );
}

describeEachStackRun(
  "the deployer's policy",
  ({ stack, config, region, run }) => {
    const account = () => ({ partition: partitionOfRegion(region), region, accountId: FAKE_ACCOUNT_ID, instanceTags: instanceTags(run()) });

    it(`is committed, current, as stacks/${stack}.deployer-policy.json (npm run deployer-policy -- --write)`, () => {
      assert.equal(readFileSync(deployerPolicyPath(stack), "utf8"), deployerPolicyFileText(stack));
    });

    it("is the stack output deployerPolicy", () => {
      assert.deepEqual(JSON.parse(JSON.stringify(run().outputs.deployerPolicy)), JSON.parse(readFileSync(deployerPolicyPath(stack), "utf8")));
    });

    it("allows every AWS CLI call the health gates, pre-disruption gates and member removals make", async () => {
      // The removals find the first member's instance (every size keeps it) by its tags; the
      // pre-disruption gates list the cluster's instances (ID, state, member), and the first
      // member's gate asks the check on it, which answers exit status 0.
      const firstMember = resourcesOfType(run(), TYPES.instance).find((instance) => memberOf(instance) === `${config.clusterName}-0`);
      // The member list names only the first member: every other removal is a shrink and runs in full.
      const answers = {
        "ssm get-parameter": `${config.clusterName}-0`,
        "ec2 describe-instances": `${String(firstMember?.id)}\trunning\t${config.clusterName}-0`,
        "ssm send-command": "0b7e3c8a-1f2d-4c5b-9a6e-7d8c9b0a1f2e",
        "ssm wait": "",
        "ssm get-command-invocation": "0",
      };
      const requests: { label: string; request: AwsRequest }[] = [];
      const operations = new Set<string>();
      for (const command of resourcesOfType(run(), TYPES.localCommand)) {
        const environment = isRecordedObject(command.inputs.environment) ? command.inputs.environment : {};
        const env = Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, recordedText(value)]));
        for (const phase of ["create", "update", "delete"]) {
          const script = command.inputs[phase];
          if (typeof script !== "string") continue;
          const result = runWithRecordingAwsCli(script, env, answers);
          assert.equal(result.status, 0, `${command.name} ${phase}: ${result.output}`);
          for (const call of result.calls) {
            operations.add(call.slice(0, 2).join(" "));
            for (const request of iamRequestsOf(call, account())) requests.push({ label: `${command.name} ${phase}: aws ${call.slice(0, 2).join(" ")}`, request });
          }
        }
      }
      assert.deepEqual([...operations].sort(), ["ec2 describe-instances", "ssm get-command-invocation", "ssm get-parameter", "ssm send-command", "ssm wait"]);
      assert.deepEqual(await refused(deployer(stack), requests), []);
    });

    it("allows what pulumi up and destroy request for every resource the program declares and every lookup it makes", async () => {
      const kmsKey = config.kmsKeyId === undefined ? undefined : customerManagedKey(config.kmsKeyId, [FAKE_ACCOUNT_ID]);
      const requests = resourceRequests(run(), { ...account(), kmsKey });
      const lookups = invokeRequests(run(), account());
      assert.ok(lookups.length > 0, "the program looks its subnets up");
      assert.deepEqual(await refused(deployer(stack), [...requests, ...lookups]), []);
    });

    it("refuses the same on another cluster's resources", async () => {
      const other = "etcd-other";
      const tagged = { [`aws:RequestTag/${TAG_KEYS.cluster}`]: other };
      const requests: AwsRequest[] = [
        {
          action: "ssm:SendCommand",
          resource: `arn:aws:ec2:${region}:${FAKE_ACCOUNT_ID}:instance/i-0f0f0f0f0f0f0f0f0`,
          context: { [`ssm:resourceTag/${TAG_KEYS.cluster}`]: other },
        },
        {
          action: "ec2:TerminateInstances",
          resource: `arn:aws:ec2:${region}:${FAKE_ACCOUNT_ID}:instance/i-0f0f0f0f0f0f0f0f0`,
          context: { [`aws:ResourceTag/${TAG_KEYS.cluster}`]: other },
        },
        { action: "ec2:RunInstances", resource: `arn:aws:ec2:${region}:${FAKE_ACCOUNT_ID}:instance/*`, context: tagged },
        { action: "ec2:CreateVolume", resource: `arn:aws:ec2:${region}:${FAKE_ACCOUNT_ID}:volume/*`, context: tagged },
        { action: "ec2:DeleteVolume", resource: `arn:aws:ec2:${region}:${FAKE_ACCOUNT_ID}:volume/vol-0f0f0f0f0f0f0f0f0` },
        { action: "iam:CreateRole", resource: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/${other}-member-0-role-1234567` },
        {
          action: "iam:PassRole",
          resource: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/${other}-member-0-role-1234567`,
          context: { "iam:PassedToService": "ec2.amazonaws.com" },
        },
        {
          action: "iam:PassRole",
          resource: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/${config.clusterName}-member-0-role-1234567`,
          context: { "iam:PassedToService": "lambda.amazonaws.com" },
        },
        {
          action: "iam:AttachRolePolicy",
          resource: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/${config.clusterName}-member-0-role-1234567`,
          context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" },
        },
        { action: "ssm:PutParameter", resource: `arn:aws:ssm:${region}:${FAKE_ACCOUNT_ID}:parameter/etcd/${other}/ca.crt` },
        { action: "ssm:GetParameter", resource: `arn:aws:ssm:${region}:${FAKE_ACCOUNT_ID}:parameter/app/database/password` },
        { action: "s3:DeleteBucket", resource: `arn:aws:s3:::${other}-backups-1234567`, resourceAccount: FAKE_ACCOUNT_ID },
        { action: "ssm:SendCommand", resource: `arn:aws:ssm:${region}:${FAKE_ACCOUNT_ID}:document/AWS-RunPowerShellScript` },
        { action: "cloudwatch:DeleteAlarms", resource: `arn:aws:cloudwatch:${region}:${FAKE_ACCOUNT_ID}:alarm:${other}-backup-freshness` },
        { action: "sns:DeleteTopic", resource: `arn:aws:sns:${region}:${FAKE_ACCOUNT_ID}:alarm-${other}-topic` },
        { action: "sns:DeleteTopic", resource: `arn:aws:sns:${region}:${FAKE_ACCOUNT_ID}:${config.clusterName}-other-topic` },
        { action: "cloudwatch:PutMetricData", resource: "*" },
      ];
      for (const request of requests) {
        assert.notEqual(await decide(deployer(stack), request), "Allowed", `${request.action} on ${request.resource}`);
      }
    });
  },
  ["update"],
);
