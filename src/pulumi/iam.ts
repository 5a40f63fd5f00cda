import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MEMBER_TRUST_POLICY } from "../core/aws/member-policy";
import type { PolicyDocument } from "../core/aws/policy-document";

/** A member's instance role and the profile that hands it to the instance. */
export interface MemberInstanceRole {
  /** The role the member's instance assumes. */
  readonly role: aws.iam.Role;
  /** Hands the role to the instance; ready only once the role's policy is in place. */
  readonly instanceProfile: aws.iam.InstanceProfile;
}

/** What a member's role may do. */
export interface MemberRoleArgs {
  /**
   * The role's only policy, every permission the member has (member-policy.ts `memberRolePolicy`).
   * An output, since the ARNs it names are other resources' outputs.
   */
  readonly policy: pulumi.Input<PolicyDocument>;
  /** Tags of the role and the profile. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * One role per member, never shared: its one inline policy names that member's own secrets, and
 * no managed policy is attached beside it (member-policy.ts says why), so a compromised member
 * cannot read another member's keys.
 */
export function createMemberInstanceRole(resourcePrefix: string, args: MemberRoleArgs, opts: pulumi.CustomResourceOptions): MemberInstanceRole {
  const role = new aws.iam.Role(
    `${resourcePrefix}-role`,
    {
      assumeRolePolicy: JSON.stringify(MEMBER_TRUST_POLICY),
      description: "etcd member: Session Manager, its own secrets, its cluster's backups",
      tags: { ...args.tags },
    },
    opts,
  );
  const ownPolicy = new aws.iam.RolePolicy(
    `${resourcePrefix}-policy`,
    { role: role.name, policy: pulumi.output(args.policy).apply((policy) => JSON.stringify(policy)) },
    opts,
  );
  // The profile waits for the policy: an instance launched with it fetches its secrets at boot.
  const instanceProfile = new aws.iam.InstanceProfile(`${resourcePrefix}-profile`, { role: role.name, tags: { ...args.tags } }, { ...opts, dependsOn: [ownPolicy] });
  return { role, instanceProfile };
}
