/**
 * The cluster's backups as each stack declares them: one snapshot bucket (versioned, encrypted,
 * never public, TLS only, expiring after the stack's retention, protected where the stack protects
 * its data), one Data Lifecycle Manager policy over the members' instances, and on every member the
 * backup script and timer.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { TAG_KEYS } from "../../src/core/aws/tags";
import { BACKUP_TIMER_NAME } from "../../src/core/member/backup-units";
import { BACKUP_SCRIPT_PATH } from "../../src/core/member/ports-and-paths";
import { memberFiles } from "../../dev/mock-runtime/received-files";
import type { RecordedResource } from "../../dev/mock-runtime/run-record";
import { isRecordedList, isRecordedObject, recordedText, type RecordedValue } from "../../dev/mock-runtime/recorded-value";
import { checkShellScript, toolAvailable } from "../support/linters";
import { onlyResourceOfType, resourcesOfType, tagOf, TYPES } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_SETTINGS = {
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
} as const;
const DLM_POLICY = "aws:dlm/lifecyclePolicy:LifecyclePolicy";

/** A nested input as a recorded object; fails when it is anything else. */
function objectAt(value: RecordedValue | undefined, what: string): Record<string, RecordedValue> {
  if (!isRecordedObject(value)) throw new Error(`${what} is not an object`);
  return value;
}

/** The first element of a list input, as an object. */
function firstOf(value: RecordedValue | undefined, what: string): Record<string, RecordedValue> {
  if (!isRecordedList(value) || value.length === 0) throw new Error(`${what} is not a non-empty list`);
  return objectAt(value[0], `${what}[0]`);
}

describeEachStackRun(
  "backups",
  ({ config, run }) => {
    const bucket = (): RecordedResource => onlyResourceOfType(run(), BUCKET);
    const setting = (type: string): RecordedResource => onlyResourceOfType(run(), type);

    it("keeps every version of the snapshots (versioning Enabled)", () => {
      assert.deepEqual(setting(BUCKET_SETTINGS.versioning).inputs.versioningConfiguration, { status: "Enabled" });
    });

    it(`encrypts the snapshots at rest with ${config.kmsKeyId === undefined ? "S3-managed keys" : "the stack's KMS key"}`, () => {
      const rule = firstOf(setting(BUCKET_SETTINGS.encryption).inputs.rules, "rules");
      const expected = config.kmsKeyId === undefined ? { sseAlgorithm: "AES256" } : { sseAlgorithm: "aws:kms", kmsMasterKeyId: config.kmsKeyId };
      assert.deepEqual(rule.applyServerSideEncryptionByDefault, expected);
    });

    it("blocks all four kinds of public access", () => {
      const block = setting(BUCKET_SETTINGS.publicAccessBlock).inputs;
      const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
      assert.deepEqual(Object.fromEntries(flags.map((flag) => [flag, block[flag]])), Object.fromEntries(flags.map((flag) => [flag, true])));
    });

    it(`expires snapshots after the stack's retention (${config.backup.retentionDays} days)`, () => {
      const rule = firstOf(setting(BUCKET_SETTINGS.lifecycle).inputs.rules, "rules");
      assert.deepEqual(rule.filter, { prefix: `${config.clusterName}/snapshots/` });
      assert.deepEqual(rule.expiration, { days: config.backup.retentionDays });
    });

    it(`force-destroys the bucket exactly when the stack does not protect its data (here ${!config.protectData})`, () => {
      assert.equal(bucket().inputs.forceDestroy, !config.protectData);
    });

    it(`protects and retains the bucket and every setting exactly when protectData is set (here ${config.protectData})`, () => {
      for (const resource of [bucket(), ...Object.values(BUCKET_SETTINGS).map(setting)]) {
        assert.deepEqual([resource.options.protect, resource.options.retainOnDelete], [config.protectData, config.protectData], resource.type);
      }
    });

    it("makes the DLM policy snapshot the instances tagged with the cluster, at the configured interval and retention", () => {
      const details = objectAt(setting(DLM_POLICY).inputs.policyDetails, "policyDetails");
      const schedule = firstOf(details.schedules, "schedules");
      assert.deepEqual(
        { resourceTypes: details.resourceTypes, targetTags: details.targetTags, createRule: schedule.createRule, retainRule: schedule.retainRule },
        {
          resourceTypes: ["INSTANCE"],
          targetTags: { [TAG_KEYS.cluster]: config.clusterName },
          createRule: { interval: config.backup.volumeSnapshots.intervalHours, intervalUnit: "HOURS" },
          retainRule: { count: config.backup.volumeSnapshots.retainCount },
        },
      );
    });

    it("tags every member instance with the cluster the DLM policy targets, and every volume with its member and role", () => {
      for (const instance of resourcesOfType(run(), TYPES.instance)) assert.equal(tagOf(instance, TAG_KEYS.cluster), config.clusterName, instance.name);
      for (const volume of resourcesOfType(run(), TYPES.volume)) {
        assert.equal(typeof tagOf(volume, TAG_KEYS.member), "string", `${volume.name} ${TAG_KEYS.member}`);
        assert.ok(["data", "wal"].includes(recordedText(tagOf(volume, TAG_KEYS.volumeRole))), `${volume.name} ${TAG_KEYS.volumeRole}`);
      }
    });
  },
  ["preview"],
);

describeEachStackRun(
  "backups after an update",
  ({ config, run }) => {
    it("denies every request to the bucket over plain HTTP", () => {
      const arn = recordedText(onlyResourceOfType(run(), BUCKET).state.arn);
      const policy = JSON.parse(recordedText(onlyResourceOfType(run(), BUCKET_SETTINGS.policy).inputs.policy)) as { Statement: unknown[] };
      assert.deepEqual(policy.Statement, [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: ["s3:*"],
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]);
    });

    it("exports the bucket's name as the stack output backupBucket", () => {
      assert.equal(run().outputs.backupBucket, onlyResourceOfType(run(), BUCKET).state.bucket);
    });

    it("installs on every member the backup script for this cluster's bucket, and its timer on the configured schedule", () => {
      const bucketName = recordedText(onlyResourceOfType(run(), BUCKET).state.bucket);
      for (const instance of resourcesOfType(run(), TYPES.instance)) {
        const files = memberFiles(run(), instance);
        const script = files.find((file) => file.path === BACKUP_SCRIPT_PATH);
        assert.equal(script?.permissions, "0755", instance.name);
        assert.match(script?.content ?? "", new RegExp(`^readonly BUCKET='${bucketName}'$`, "m"), instance.name);
        const timer = files.find((file) => file.path === `/etc/systemd/system/${BACKUP_TIMER_NAME}`);
        assert.match(timer?.content ?? "", new RegExp(`^OnCalendar=${config.backup.snapshotSchedule.replace(/[*/]/g, "\\$&")}$`, "m"), instance.name);
      }
    });

    it("gives the members only scripts that pass shellcheck", (t) => {
      if (!toolAvailable(t, "shellcheck")) return;
      const instance = resourcesOfType(run(), TYPES.instance)[0];
      for (const file of memberFiles(run(), instance).filter((entry) => entry.permissions === "0755")) {
        const report = checkShellScript(file.content);
        assert.ok(report.passed, `${file.path}: ${report.output}`);
      }
    });
  },
  ["update"],
);
