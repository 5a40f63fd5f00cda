/**
 * Whether a principal can read a SecureString parameter's plaintext, the two checks AWS makes:
 * SSM authorizes the read (`ssm:GetParameter` or `ssm:GetParameters` on the parameter,
 * `ssm:GetParametersByPath` on any path above it), then decrypts through KMS as the caller:
 * `kms:Decrypt` on the parameter's key, under the key's policy, with `kms:ViaService`
 * `ssm.<region>.amazonaws.com`, `kms:CallerAccount` and the encryption context
 * `PARAMETER_ARN` = the parameter's ARN (Systems Manager User Guide, "How AWS Systems Manager
 * Parameter Store uses AWS KMS").
 */
import { accountOf, isAllowed, type EvaluatedPrincipal } from "./iam-evaluation";
import type { KmsKey } from "./kms-key-policies";

/** A SecureString parameter and the key encrypting it. */
export interface SecureStringParameter {
  /** `arn:aws:ssm:<region>:<account>:parameter/<name without leading slash>` */
  readonly arn: string;
  readonly key: KmsKey;
}

/**
 * The paths `ssm:GetParametersByPath` could name to return the parameter: `/etcd`, … its parent.
 * (`/` itself is no parameter ARN IAM can name; a grant on it is a grant on `*`, caught below.)
 */
function ancestorPathArns(parameterArn: string): string[] {
  const [prefix, name] = parameterArn.split(":parameter/") as [string, string];
  const segments = name.split("/").slice(0, -1);
  return segments.map((_, index) => `${prefix}:parameter/${segments.slice(0, index + 1).join("/")}`);
}

/** The kms:Decrypt request SSM makes on the caller's behalf for this parameter. */
export function ssmDecryptRequest(parameter: SecureStringParameter, callerAccount: string) {
  const region = parameter.arn.split(":")[3];
  return {
    action: "kms:Decrypt",
    resource: parameter.key.arn,
    resourcePolicy: parameter.key.policy,
    context: {
      "kms:ViaService": `ssm.${region}.amazonaws.com`,
      "kms:CallerAccount": callerAccount,
      "kms:EncryptionContext:PARAMETER_ARN": parameter.arn,
    },
  };
}

/**
 * Every way the principal reads the parameter's plaintext, e.g. `["ssm:GetParameter"]` or
 * `["ssm:GetParametersByPath /etcd/etcd-dev"]`; empty when it cannot.
 */
export async function waysToRead(principal: EvaluatedPrincipal, parameter: SecureStringParameter): Promise<string[]> {
  if (!(await isAllowed(principal, ssmDecryptRequest(parameter, accountOf(principal.roleArn) ?? "")))) return [];
  const ways: string[] = [];
  for (const action of ["ssm:GetParameter", "ssm:GetParameters"]) {
    if (await isAllowed(principal, { action, resource: parameter.arn })) ways.push(action);
  }
  for (const pathArn of ancestorPathArns(parameter.arn)) {
    if (await isAllowed(principal, { action: "ssm:GetParametersByPath", resource: pathArn })) {
      ways.push(`ssm:GetParametersByPath /${pathArn.split(":parameter/")[1]}`);
    }
  }
  return ways;
}
