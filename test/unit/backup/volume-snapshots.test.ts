import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { TAG_KEYS } from "../../../components/aws/tags";
import type { ProgramRun } from "../../../tools/offline/program-run";
import { onlyResource, runBackupResources } from "./fixtures/run-backup-resources";

describe("VolumeSnapshotPolicy (Data Lifecycle Manager)", () => {
  let run: ProgramRun;
  before(async () => {
    run = await runBackupResources({
      bucket: { clusterName: "etcd-prod", retentionDays: 30, protectData: true, tags: {} },
      volumeSnapshots: { clusterName: "etcd-prod", intervalHours: 6, retainCount: 28, tags: { team: "platform" } },
    });
  });

  it("snapshots all non-root volumes of each of the cluster's instances together, every interval, keeping the configured count", () => {
    const policy = onlyResource(run, "aws:dlm/lifecyclePolicy:LifecyclePolicy");
    assert.equal(policy.inputs["state"], "ENABLED");
    assert.deepEqual(policy.inputs["policyDetails"], {
      policyType: "EBS_SNAPSHOT_MANAGEMENT",
      resourceTypes: ["INSTANCE"],
      targetTags: { [TAG_KEYS.cluster]: "etcd-prod" },
      parameters: { excludeBootVolume: true },
      schedules: [{
        name: "every 6h, keep 28",
        createRule: { interval: 6, intervalUnit: "HOURS" },
        retainRule: { count: 28 },
        copyTags: true,
        variableTags: { "instance-id": "$(instance-id)" },
      }],
    });
  });

  it("acts through a role only DLM can assume, holding AWS's managed DLM policy in the role's partition", () => {
    const role = onlyResource(run, "aws:iam/role:Role");
    const trust = JSON.parse(String(role.inputs["assumeRolePolicy"])) as { Statement: unknown[] };
    assert.deepEqual(trust.Statement, [{ Effect: "Allow", Principal: { Service: "dlm.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const attachment = onlyResource(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    assert.equal(attachment.inputs["policyArn"], "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole");
    assert.equal(onlyResource(run, "aws:dlm/lifecyclePolicy:LifecyclePolicy").inputs["executionRoleArn"], role.state["arn"]);
  });
});
