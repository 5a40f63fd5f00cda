import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { clusterAlarmSpecs, type ClusterAlarmInput } from "../core/aws/alarm-specs";
import { alarmTopicName } from "../core/aws/resource-names";
import { clusterTags, memberTags } from "../core/aws/tags";

export interface ClusterAlarmsArgs extends ClusterAlarmInput<pulumi.Input<string>> {
  /**
   * The cluster component's name: alarm resources are `<it>-<key>`, so a member's alarms
   * (`<it>-member-<i>-…`) sit beside the member's other resources in names and plan diffs.
   */
  readonly resourceNamePrefix: string;
  /** ClusterConfig.tags: extra tags on the topic and the alarms. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The cluster's CloudWatch alarms (alarm-specs.ts) and the SNS topic they notify on ALARM and on
 * OK; subscribe to the topic (stack output `alarmTopicArn`) by e-mail, chat or a pager. The topic
 * is not KMS-encrypted: CloudWatch can publish to an encrypted topic only with a customer key
 * whose policy admits it, which this program does not manage.
 */
export class ClusterAlarms extends pulumi.ComponentResource {
  /** ARN of the SNS topic every alarm notifies. */
  readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: ClusterAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("etcd-cluster:aws:ClusterAlarms", name, {}, opts);
    const topic = new aws.sns.Topic(
      name,
      { name: alarmTopicName(args.clusterName), tags: clusterTags(args.tags, args.clusterName, alarmTopicName(args.clusterName)) },
      { parent: this },
    );
    // Per-member alarms carry the member's tag: they change with its instance (InstanceId).
    for (const spec of clusterAlarmSpecs(args)) {
      const alarmName = `${args.clusterName}-${spec.key}`;
      new aws.cloudwatch.MetricAlarm(
        `${args.resourceNamePrefix}-${spec.key}`,
        {
          name: alarmName,
          alarmDescription: spec.description,
          namespace: spec.namespace,
          metricName: spec.metricName,
          dimensions: Object.keys(spec.dimensions).length === 0 ? undefined : spec.dimensions,
          statistic: spec.statistic,
          period: spec.period,
          evaluationPeriods: spec.evaluationPeriods,
          datapointsToAlarm: spec.datapointsToAlarm,
          comparisonOperator: spec.comparisonOperator,
          threshold: spec.threshold,
          treatMissingData: spec.treatMissingData,
          alarmActions: [topic.arn],
          okActions: [topic.arn],
          tags:
            spec.memberName === undefined
              ? clusterTags(args.tags, args.clusterName, alarmName)
              : memberTags(args.tags, args.clusterName, spec.memberName, alarmName),
        },
        { parent: this },
      );
    }
    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }
}
