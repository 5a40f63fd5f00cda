/**
 * Asks a real IAM policy evaluator (@cloud-copilot/iam-simulate) whether AWS would allow a
 * request: the principal's identity policies, the resource's policy (a KMS key policy, a bucket
 * policy) and the account boundary are combined as AWS combines them, conditions included. A
 * simulation the evaluator refuses (an unknown action, a malformed policy or ARN) throws.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";

/** AWS's answer to one request. */
export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** Who makes requests: a role's session and every policy attached to the role. */
export interface EvaluatedPrincipal {
  /** `arn:aws:iam::<account>:role/<name>` */
  readonly roleArn: string;
  /** Policy name → policy document: inline policies and attached managed policies alike. */
  readonly identityPolicies: ReadonlyMap<string, unknown>;
}

/** One API request. */
export interface AwsRequest {
  /** `service:Action`, e.g. `ssm:GetParameter`. */
  readonly action: string;
  /** ARN of the resource the request names, or `*` for actions without resource types. */
  readonly resource: string;
  /** Request context keys (e.g. `kms:ViaService`); absent keys fail the conditions that name them. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /** The resource's own policy: a KMS key policy, a bucket policy. */
  readonly resourcePolicy?: unknown;
  /** The account owning the resource; default: the one in its ARN, else the principal's. */
  readonly resourceAccount?: string;
}

/** The account of an ARN (`arn:aws:iam::123456789012:role/x` → `123456789012`), or undefined. */
export function accountOf(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return account === undefined || account === "" ? undefined : account;
}

/** The session ARN an instance profile's role acts as: `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
function sessionArn(roleArn: string): string {
  const roleName = roleArn.split("/").pop();
  return `arn:aws:sts::${accountOf(roleArn)}:assumed-role/${roleName}/i-0123456789abcdef0`;
}

/**
 * iam-simulate 0.1.x drops request keys of the form `kms:EncryptionContext:<key>` (it matches
 * variable keys only in the `prefix/variable` form), so conditions on an encryption context
 * would fail as if the key were absent. Each such key is therefore renamed, in the request and in
 * every policy's conditions alike, to a global variable key the evaluator keeps
 * (`aws:RequestTag/EncryptionContext.<key>`): same operators, same values, same outcome.
 */
const ENCRYPTION_CONTEXT_KEY = /^kms:EncryptionContext:(.+)$/i;

function evaluatorKey(key: string): string {
  const match = ENCRYPTION_CONTEXT_KEY.exec(key);
  return match === null ? key : `aws:RequestTag/EncryptionContext.${match[1]}`;
}

interface ConditionedStatement {
  readonly Condition?: Record<string, Record<string, unknown>>;
}

function withEvaluatorKeys(policy: unknown): unknown {
  if (policy === undefined) return undefined;
  const document = policy as { Statement: ConditionedStatement | ConditionedStatement[] };
  const statements = [document.Statement].flat().map((statement) => {
    if (statement.Condition === undefined) return statement;
    const condition = Object.fromEntries(
      Object.entries(statement.Condition).map(([operator, keys]) => [
        operator,
        Object.fromEntries(Object.entries(keys).map(([key, value]) => [evaluatorKey(key), value])),
      ]),
    );
    return { ...statement, Condition: condition };
  });
  return { ...document, Statement: statements };
}

/** What AWS decides for this principal's request. */
export async function decide(principal: EvaluatedPrincipal, request: AwsRequest): Promise<Decision> {
  const principalAccount = accountOf(principal.roleArn);
  const context = Object.entries(request.context ?? {}).map(([key, value]): [string, string | string[]] => [
    evaluatorKey(key),
    typeof value === "string" ? value : [...value],
  ]);
  const response = await runSimulation(
    {
      request: {
        principal: sessionArn(principal.roleArn),
        action: request.action,
        resource: {
          resource: request.resource,
          accountId: request.resourceAccount ?? accountOf(request.resource) ?? principalAccount ?? "",
        },
        contextVariables: {
          "aws:PrincipalArn": principal.roleArn,
          "aws:PrincipalAccount": principalAccount ?? "",
          ...Object.fromEntries(context),
        },
      },
      identityPolicies: [...principal.identityPolicies].map(([name, policy]) => ({ name, policy: withEvaluatorKeys(policy) })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: withEvaluatorKeys(request.resourcePolicy),
    },
    { simulationMode: "Strict" },
  );
  if (response.resultType === "error") {
    throw new Error(`the evaluator refused ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`);
  }
  // A key the evaluator ignored would silently fail every condition naming it.
  const ignored = response.resultType === "single" ? (response.result.ignoredContextKeys ?? []) : [];
  if (ignored.length > 0) throw new Error(`the evaluator ignored context keys ${ignored.join(", ")} of ${request.action}`);
  return response.overallResult;
}

/** True when AWS allows the request. */
export async function isAllowed(principal: EvaluatedPrincipal, request: AwsRequest): Promise<boolean> {
  return (await decide(principal, request)) === "Allowed";
}
