/**
 * The CloudWatch alarms and their SNS topic, as the program declares them for each stack: what
 * each watches (metric, dimensions naming this stack's instances and volumes), when it fires
 * (statistic, window, threshold, missing data) and whom it tells (the topic in the outputs).
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { calendarIntervalSeconds } from "../../src/core/formats/calendar-interval";
import type { RecordedResource } from "../../dev/mock-runtime/run-record";
import { byMember, onlyResourceOfType, resourcesOfType, TYPES, volumeRoleOf } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";
import { recordedText } from "../../dev/mock-runtime/recorded-value";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";

function alarmNamed(alarms: readonly RecordedResource[], name: string): RecordedResource {
  const alarm = alarms.find((candidate) => candidate.inputs.name === name);
  assert.ok(alarm, `alarm ${name}`);
  return alarm;
}

/** The inputs that decide when an alarm fires. */
function trigger(alarm: RecordedResource) {
  const { namespace, metricName, statistic, period, evaluationPeriods, datapointsToAlarm, comparisonOperator, threshold, treatMissingData } = alarm.inputs;
  return { namespace, metricName, statistic, period, evaluationPeriods, datapointsToAlarm, comparisonOperator, threshold, treatMissingData };
}

describeEachStackRun(
  "CloudWatch alarms",
  ({ config, run }) => {
    const alarms = () => resourcesOfType(run(), ALARM);

    it("notify one SNS topic, the stack output alarmTopicArn, on ALARM and on OK", () => {
      const topic = onlyResourceOfType(run(), TOPIC);
      assert.equal(topic.inputs.name, `alarm-${config.clusterName}-topic`);
      assert.equal(run().outputs.alarmTopicArn, topic.state.arn);
      for (const alarm of alarms()) {
        assert.deepEqual([alarm.inputs.alarmActions, alarm.inputs.okActions], [[topic.state.arn], [topic.state.arn]], recordedText(alarm.inputs.name));
      }
    });

    it("watch each member's EC2 status checks for 5 minutes in a row", () => {
      for (const [member, [instance]] of byMember(run(), TYPES.instance)) {
        const index = member.split("-").at(-1);
        const alarm = alarmNamed(alarms(), `${config.clusterName}-member-${index}-status-check`);
        assert.deepEqual(alarm.inputs.dimensions, { InstanceId: instance.id });
        assert.deepEqual(trigger(alarm), {
          namespace: "AWS/EC2",
          metricName: "StatusCheckFailed",
          statistic: "Maximum",
          period: 60,
          evaluationPeriods: 5,
          datapointsToAlarm: 5,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: 1,
          treatMissingData: "missing",
        });
      }
    });

    it("watch stalled I/O on each member's data and WAL volume, named by volume and instance", () => {
      const instances = byMember(run(), TYPES.instance);
      for (const [member, volumes] of byMember(run(), TYPES.volume)) {
        const index = member.split("-").at(-1);
        for (const volume of volumes) {
          const alarm = alarmNamed(alarms(), `${config.clusterName}-member-${index}-${recordedText(volumeRoleOf(volume))}-stalled-io`);
          assert.deepEqual(alarm.inputs.dimensions, { VolumeId: volume.id, InstanceId: instances.get(member)?.[0]?.id });
          assert.deepEqual(trigger(alarm), {
            namespace: "AWS/EBS",
            metricName: "VolumeStalledIOCheck",
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            treatMissingData: "notBreaching",
          });
        }
      }
    });

    it("fire when no snapshot succeeded in two backup intervals, and when the metric is missing", () => {
      const alarm = alarmNamed(alarms(), `${config.clusterName}-backup-freshness`);
      assert.equal(alarm.inputs.dimensions, undefined);
      assert.deepEqual(trigger(alarm), {
        namespace: `etcd/${config.clusterName}`,
        metricName: "BackupSucceeded",
        statistic: "Sum",
        period: calendarIntervalSeconds(config.backup.snapshotSchedule),
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: "breaching",
      });
    });

    it("fire when a certificate enters its renewal window, and when no member reports", () => {
      const alarm = alarmNamed(alarms(), `${config.clusterName}-certificate-expiry`);
      assert.deepEqual(trigger(alarm), {
        namespace: `etcd/${config.clusterName}`,
        metricName: "CertificateSecondsToExpiry",
        statistic: "Minimum",
        period: 7200,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparisonOperator: "LessThanThreshold",
        threshold: config.pki.earlyRenewalHours * 3600,
        treatMissingData: "breaching",
      });
    });

    it("declare exactly these: three per member, two per cluster", () => {
      assert.equal(alarms().length, 3 * config.members + 2);
    });
  },
  ["update"],
);
