import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One statement of an IAM policy document, as AWS spells it. */
export interface PolicyStatement {
  /** Statement ID: says what the statement is for. */
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  /** API actions, e.g. `ssm:GetParameter`. */
  readonly Action: readonly string[];
  /** ARNs the actions apply to; outputs of other resources are fine. */
  readonly Resource: readonly pulumi.Input<string>[];
}

/** A member's instance role and the profile that hands it to the instance. */
export interface MemberInstanceRole {
  /** The role the member's instance assumes. */
  readonly role: aws.iam.Role;
  /** Hands the role to the instance; ready only once the role's policies are attached. */
  readonly instanceProfile: aws.iam.InstanceProfile;
}

/** What a member's role may do beyond Session Manager. */
export interface MemberRoleArgs {
  /**
   * Statements of the member's own inline policy, composed by the caller: reading its secrets
   * (member-secrets.ts `secretReadStatements`), later writing its cluster's backup prefix.
   */
  readonly statements: readonly PolicyStatement[];
  /** Tags of the role and the profile. */
  readonly tags: Readonly<Record<string, string>>;
}

const EC2_ASSUME_ROLE_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/**
 * One role per member, never shared: the policy names that member's own secrets, so a compromised
 * member cannot read another member's keys. Session Manager (AmazonSSMManagedInstanceCore) replaces
 * SSH and carries the health gate's Run Command.
 */
export function createMemberInstanceRole(
  resourcePrefix: string,
  args: MemberRoleArgs,
  opts: pulumi.CustomResourceOptions,
): MemberInstanceRole {
  const role = new aws.iam.Role(
    `${resourcePrefix}-role`,
    {
      assumeRolePolicy: EC2_ASSUME_ROLE_POLICY,
      description: "etcd member: Session Manager and its own secrets",
      tags: { ...args.tags },
    },
    opts,
  );
  const sessionManager = new aws.iam.RolePolicyAttachment(
    `${resourcePrefix}-ssm-core`,
    { role: role.name, policyArn: aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore },
    opts,
  );
  const ownPolicy = new aws.iam.RolePolicy(
    `${resourcePrefix}-policy`,
    { role: role.name, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: args.statements }) },
    opts,
  );
  // The profile waits for the policies: an instance launched with it fetches its secrets at boot.
  const instanceProfile = new aws.iam.InstanceProfile(
    `${resourcePrefix}-profile`,
    { role: role.name, tags: { ...args.tags } },
    { ...opts, dependsOn: [sessionManager, ownPolicy] },
  );
  return { role, instanceProfile };
}
