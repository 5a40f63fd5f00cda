/**
 * The IAM authorization requests AWS makes for an AWS CLI call: which action, on which resource,
 * with which request context (Service Authorization Reference). Only the calls the deployer's
 * scripts make are known; any other call throws, so a new call in a script is noticed.
 */
import type { AwsCliCall } from "./aws-cli-recorder";
import type { AwsRequest } from "./iam-evaluation";

/** What the mapping needs to know about the account the call runs in. */
export interface CliCallContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** Tags of each instance the calls may name, by instance ID. */
  readonly instanceTags: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** The value of `--<name>` in the call; throws when absent. */
function option(call: AwsCliCall, name: string): string {
  const index = call.indexOf(`--${name}`);
  const value = index < 0 ? undefined : call[index + 1];
  if (value === undefined) throw new Error(`aws ${call.slice(0, 2).join(" ")} without --${name}`);
  return value;
}

/**
 * A document's ARN. AWS-owned documents (`AWS-*`) have an empty account field, which the evaluator
 * refuses; the caller's account stands in (the deployer policy names such documents with `*`).
 */
function documentArn(name: string, context: CliCallContext): string {
  return `arn:${context.partition}:ssm:${context.region}:${context.accountId}:document/${name}`;
}

/** Every authorization request the call needs. */
export function iamRequestsOf(call: AwsCliCall, context: CliCallContext): AwsRequest[] {
  const operation = `${call[0]} ${call[1]}`;
  switch (operation) {
    case "ec2 describe-instances":
      return [{ action: "ec2:DescribeInstances", resource: "*" }];
    case "ssm send-command": {
      const instances = option(call, "instance-ids").split(/[ ,]+/);
      return [
        ...instances.map((instanceId) => {
          const tags = context.instanceTags.get(instanceId);
          if (tags === undefined) throw new Error(`send-command to unknown instance ${instanceId}`);
          return {
            action: "ssm:SendCommand",
            resource: `arn:${context.partition}:ec2:${context.region}:${context.accountId}:instance/${instanceId}`,
            context: Object.fromEntries(Object.entries(tags).map(([key, value]) => [`ssm:resourceTag/${key}`, value])),
          };
        }),
        { action: "ssm:SendCommand", resource: documentArn(option(call, "document-name"), context) },
      ];
    }
    // The waiter polls GetCommandInvocation.
    case "ssm wait":
      if (call[2] !== "command-executed") throw new Error(`unknown waiter aws ssm wait ${call[2]}`);
      return [{ action: "ssm:GetCommandInvocation", resource: "*" }];
    case "ssm get-command-invocation":
      return [{ action: "ssm:GetCommandInvocation", resource: "*" }];
    case "ssm get-parameter":
      return [{ action: "ssm:GetParameter", resource: `arn:${context.partition}:ssm:${context.region}:${context.accountId}:parameter${option(call, "name")}` }];
    default:
      throw new Error(`no IAM mapping for aws ${operation}: teach test/support/aws-cli-requests.ts`);
  }
}
