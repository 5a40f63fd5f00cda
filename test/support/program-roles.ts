/**
 * The IAM roles a program run declares, with every policy that applies to each: the inline role
 * policies and the attached managed policies (AWS-managed ones from their documented statements),
 * taken from the resources the program registered, so what is evaluated is what `pulumi up` sends.
 */
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { awsManagedPolicy } from "./aws-managed-policies";
import type { EvaluatedPrincipal } from "./iam-evaluation";
import { byMember, inputComesFrom, resourcesOfType } from "./resource-graph";
import { recordedText } from "../../dev/mock-runtime/recorded-value";

export const IAM_TYPES = {
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  policy: "aws:iam/policy:Policy",
} as const;

/** The role as the evaluator sees it; fails for a policy it cannot account for. */
export function evaluatedRole(run: ProgramRun, role: RecordedResource): EvaluatedPrincipal {
  for (const property of ["inlinePolicies", "managedPolicyArns"]) {
    const value = role.inputs[property];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) {
      throw new Error(`${role.name} sets ${property}: teach program-roles.ts to read it`);
    }
  }
  const policies = new Map<string, unknown>();
  for (const inline of resourcesOfType(run, IAM_TYPES.rolePolicy).filter((policy) => inputComesFrom(policy, "role", role))) {
    policies.set(inline.name, JSON.parse(recordedText(inline.inputs.policy)));
  }
  for (const attachment of resourcesOfType(run, IAM_TYPES.rolePolicyAttachment).filter((candidate) => inputComesFrom(candidate, "role", role))) {
    const policyArn = recordedText(attachment.inputs.policyArn);
    const own = resourcesOfType(run, IAM_TYPES.policy).find((policy) => policy.state.arn === policyArn);
    policies.set(attachment.name, own === undefined ? awsManagedPolicy(policyArn).document : JSON.parse(recordedText(own.inputs.policy)));
  }
  return { roleArn: recordedText(role.state.arn), identityPolicies: policies };
}

/** Each member's role, by member name (members sorted). */
export function memberRoles(run: ProgramRun): Map<string, EvaluatedPrincipal> {
  return new Map(
    [...byMember(run, IAM_TYPES.role)].map(([member, roles]) => {
      if (roles.length !== 1) throw new Error(`${member} has ${roles.length} roles`);
      return [member, evaluatedRole(run, roles[0])];
    }),
  );
}
