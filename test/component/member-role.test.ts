/**
 * Each member's own role policy, parsed from the JSON the program declares: it reads only its own
 * TLS parameters and the CA's, writes snapshots only under its cluster's prefix, and reads from the
 * bucket only the one snapshot a restore names. A stack that restores installs the restore step.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { caParameterName, memberParameterPath } from "../../components/aws/member-secrets";
import type { PolicyStatement } from "../../components/aws/policy-document";
import { BOOT_SCRIPT_PATH } from "../../components/etcd/boot-script";
import { RESTORE_SCRIPT_PATH } from "../../components/etcd/restore-script";
import { cloudInitFiles, memberCloudConfig } from "../../tools/offline/cloud-init-files";
import type { ProgramRun } from "../../tools/offline/program-run";
import { runProgram } from "../../tools/offline/run-program";
import { byMember, inputComesFrom, onlyResourceOfType, resourcesOfType, TYPES } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const BUCKET = "aws:s3/bucket:Bucket";

/** Each member's own inline policy statements, by member name. */
function memberStatements(run: ProgramRun): Map<string, PolicyStatement[]> {
  const policies = resourcesOfType(run, ROLE_POLICY);
  return new Map(
    [...byMember(run, ROLE)].map(([member, [role]]) => {
      const policy = policies.find((candidate) => role !== undefined && inputComesFrom(candidate, "role", role));
      assert.ok(policy, `${member} has an inline role policy`);
      return [member, (JSON.parse(String(policy.inputs.policy)) as { Statement: PolicyStatement[] }).Statement];
    }),
  );
}

/** Every action a statement list allows, with the resources it allows it on. */
function allowed(statements: readonly PolicyStatement[], action: string): string[] {
  return statements.filter((statement) => statement.Effect === "Allow" && statement.Action.includes(action)).flatMap((statement) => [...statement.Resource]);
}

describeEachStackRun("member role policies", ({ config, run }) => {
  const bucketArn = () => String(onlyResourceOfType(run(), BUCKET).state.arn);

  it("lets each member put objects only under its cluster's snapshot prefix", () => {
    for (const [member, statements] of memberStatements(run())) {
      assert.deepEqual(allowed(statements, "s3:PutObject"), [`${bucketArn()}/${config.clusterName}/snapshots/*`], member);
    }
  });

  it("lets each member read no object of the bucket and list nothing when the stack restores nothing", () => {
    for (const [member, statements] of memberStatements(run())) {
      assert.deepEqual([...allowed(statements, "s3:GetObject"), ...allowed(statements, "s3:ListBucket")], [], member);
    }
  });

  it("lets each member get only its own parameters and the CA's", () => {
    const parameterArn = (name: string) => resourcesOfType(run(), TYPES.parameter).find((parameter) => parameter.inputs.name === name)?.state.arn;
    for (const [member, statements] of memberStatements(run())) {
      const own = resourcesOfType(run(), TYPES.parameter)
        .filter((parameter) => String(parameter.inputs.name).startsWith(`${memberParameterPath(config.clusterName, member)}/`))
        .map((parameter) => String(parameter.state.arn));
      assert.equal(own.length, 4, `${member}: server and peer certificate and key`);
      assert.deepEqual(allowed(statements, "ssm:GetParameter").sort(), [...own, String(parameterArn(caParameterName(config.clusterName)))].sort(), member);
    }
  });

  it(`grants KMS use ${config.kmsKeyId === undefined ? "on no key" : "on the stack's key only"}`, () => {
    for (const [member, statements] of memberStatements(run())) {
      const kmsResources = statements.filter((statement) => statement.Action.some((action) => action.startsWith("kms:"))).flatMap((statement) => [...statement.Resource]);
      assert.deepEqual([...new Set(kmsResources)], config.kmsKeyId === undefined ? [] : [config.kmsKeyId], member);
    }
  });
}, ["update"]);

describe("a stack restoring from a snapshot (dev with restore.snapshotUri)", () => {
  const SNAPSHOT_URI = "s3://etcd-prod-backups-7f3a2b1/etcd-prod/snapshots/20250301T120000Z-rev81234-etcd-prod-2.db";
  let run: ProgramRun;
  before(async () => {
    run = await runProgram({ stack: "dev", preview: false, configOverrides: { restore: { snapshotUri: SNAPSHOT_URI } } });
  });

  it("lets each member get exactly the snapshot object, nothing else of any bucket", () => {
    for (const [member, statements] of memberStatements(run)) {
      assert.deepEqual(allowed(statements, "s3:GetObject"), ["arn:aws:s3:::etcd-prod-backups-7f3a2b1/etcd-prod/snapshots/20250301T120000Z-rev81234-etcd-prod-2.db"], member);
    }
  });

  it("installs on each member the restore script for that snapshot, and a boot script that runs it", () => {
    for (const instance of resourcesOfType(run, TYPES.instance)) {
      const files = cloudInitFiles(memberCloudConfig(String(instance.inputs.userDataBase64)));
      const restore = files.find((file) => file.path === RESTORE_SCRIPT_PATH);
      assert.match(restore?.content ?? "", new RegExp(`^readonly SNAPSHOT_URI='${SNAPSHOT_URI}'$`, "m"), instance.name);
      assert.match(files.find((file) => file.path === BOOT_SCRIPT_PATH)?.content ?? "", new RegExp(`^\\s+'${RESTORE_SCRIPT_PATH}'$`, "m"), instance.name);
    }
  });
});
