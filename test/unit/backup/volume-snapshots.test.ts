import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { TAG_KEYS } from "../../../src/core/aws/tags";
import type { ProgramRun } from "../../../dev/mock-runtime/run-record";
import { onlyResourceOfType } from "../../support/resource-graph";
import { runBackupResources } from "./fixtures/run-backup-resources";
import { recordedText } from "../../../dev/mock-runtime/recorded-value";

describe("VolumeSnapshotPolicy (Data Lifecycle Manager)", () => {
  let run: ProgramRun;
  before(async () => {
    run = await runBackupResources({
      bucket: { clusterName: "etcd-prod", retentionDays: 30, protectData: true, tags: {} },
      volumeSnapshots: { clusterName: "etcd-prod", intervalHours: 6, retainCount: 28, tags: { team: "platform" } },
    });
  });

  it("snapshots all non-root volumes of each of the cluster's instances together, every interval, keeping the configured count", () => {
    const policy = onlyResourceOfType(run, "aws:dlm/lifecyclePolicy:LifecyclePolicy");
    assert.equal(policy.inputs["state"], "ENABLED");
    assert.deepEqual(policy.inputs["policyDetails"], {
      policyType: "EBS_SNAPSHOT_MANAGEMENT",
      resourceTypes: ["INSTANCE"],
      targetTags: { [TAG_KEYS.cluster]: "etcd-prod" },
      parameters: { excludeBootVolume: true },
      schedules: [
        {
          name: "etcd member volumes",
          createRule: { interval: 6, intervalUnit: "HOURS" },
          retainRule: { count: 28 },
          copyTags: true,
          variableTags: { "instance-id": "$(instance-id)" },
        },
      ],
    });
  });

  it("acts through a role only DLM can assume, holding AWS's managed DLM policy in the role's partition", () => {
    const role = onlyResourceOfType(run, "aws:iam/role:Role");
    const trust = JSON.parse(recordedText(role.inputs["assumeRolePolicy"])) as { Statement: unknown[] };
    assert.deepEqual(trust.Statement, [{ Effect: "Allow", Principal: { Service: "dlm.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const attachment = onlyResourceOfType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    assert.equal(attachment.inputs["policyArn"], "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole");
    assert.equal(onlyResourceOfType(run, "aws:dlm/lifecyclePolicy:LifecyclePolicy").inputs["executionRoleArn"], role.state["arn"]);
  });

  it("keeps the schedule name when interval and retain count change: DLM stops managing (never deletes) snapshots of a schedule that was renamed", async () => {
    const scheduleNameWith = async (intervalHours: number, retainCount: number) => {
      const other = await runBackupResources({
        bucket: { clusterName: "etcd-prod", retentionDays: 30, protectData: true, tags: {} },
        volumeSnapshots: { clusterName: "etcd-prod", intervalHours, retainCount, tags: {} },
      });
      const details = onlyResourceOfType(other, "aws:dlm/lifecyclePolicy:LifecyclePolicy").inputs["policyDetails"] as { schedules: { name: string }[] };
      return details.schedules[0].name;
    };
    assert.equal(await scheduleNameWith(24, 3), await scheduleNameWith(6, 28));
  });

  it("describes the policy with only the characters DLM accepts in a description (letters, digits, spaces, _ and -)", () => {
    const policy = onlyResourceOfType(run, "aws:dlm/lifecyclePolicy:LifecyclePolicy");
    assert.equal(policy.inputs["description"], "etcd etcd-prod data and WAL volumes of each member");
  });
});
