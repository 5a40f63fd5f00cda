import * as command from "@pulumi/command";
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { GateLimits } from "../core/aws/gate-limits";
import { renderHealthGateScript, type HealthGateCondition } from "../core/aws/health-gate-command";

/** One member's health gate. */
export interface MemberHealthGateArgs {
  /** etcd member name, for the progress lines. */
  readonly memberName: string;
  /** The member's instance: its ID and type are what a restart changes. */
  readonly instance: aws.ec2.Instance;
  /** The member's volume attachments: etcd cannot start before both volumes are there. */
  readonly attachments: readonly pulumi.Resource[];
  /** What the gate waits for when it is first created, as the cluster bootstraps (`bootstrapGateCondition`). */
  readonly conditionAtCreate: HealthGateCondition;
  /** How long the gate waits before it fails the deployment. */
  readonly limits: GateLimits;
  /** AWS region of the instance, for the deployer's AWS CLI. */
  readonly region: string;
}

/**
 * Waits, on the deployer, until the member is healthy, through SSM Run Command (the deployer needs
 * no network path to the members, only the AWS CLI and ssm:SendCommand). Whenever the member
 * restarts through Pulumi (a new instance ID: replacement; a new instance type: stop/start) the
 * gate's environment changes, and the update runs: then the member must be `healthy`, and the next
 * member's instance, which depends on this gate, is not touched before. (Not `triggers`: the
 * provider replaces the resource on a trigger change and would run the create script instead.)
 */
export function createMemberHealthGate(resourcePrefix: string, args: MemberHealthGateArgs, opts: pulumi.CustomResourceOptions): command.local.Command {
  const script = (condition: HealthGateCondition) => renderHealthGateScript({ memberName: args.memberName, condition, limits: args.limits });
  return new command.local.Command(
    `${resourcePrefix}-health-gate`,
    {
      create: script(args.conditionAtCreate),
      update: script("healthy"),
      environment: { INSTANCE_ID: args.instance.id, INSTANCE_TYPE: args.instance.instanceType, AWS_REGION: args.region },
    },
    { ...opts, dependsOn: [args.instance, ...args.attachments] },
  );
}
