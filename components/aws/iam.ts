import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, type PolicyStatement } from "./policy-document";

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
   * (member-secrets.ts `secretReadStatements`) and its backup permissions (backup-policy.ts
   * `memberBackupPolicy`). An output, since the ARNs they name are other resources' outputs.
   */
  readonly statements: pulumi.Input<readonly PolicyStatement[]>;
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
      description: "etcd member: Session Manager, its own secrets, its cluster's backups",
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
    { role: role.name, policy: pulumi.output(args.statements).apply((statements) => JSON.stringify(policyDocument(statements))) },
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
