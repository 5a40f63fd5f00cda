/**
 * IAM policy documents as AWS spells them, with plain-string ARNs: identity policies (the member
 * role's, the deployer's) and resource policies (the backup bucket's) share the one shape. Callers resolve ARNs of
 * other resources first (`pulumi.all(...).apply`), so every document is a plain value a test can
 * compare and the plan prints as JSON.
 */

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  /** Statement ID: says what the statement is for. */
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  /** Resource policies only: who the statement is about (`*`: anyone). */
  readonly Principal?: "*";
  /** API actions, e.g. `ssm:GetParameter`. */
  readonly Action: readonly string[];
  /** ARNs the actions apply to. */
  readonly Resource: readonly string[];
  /**
   * Condition operator → condition key → value or values (any of them matches), e.g.
   * `{ Bool: { "aws:SecureTransport": "false" } }`.
   */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** An IAM policy document (identity or resource policy). */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** A policy document of these statements. */
export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}
