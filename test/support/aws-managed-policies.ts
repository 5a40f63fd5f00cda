/**
 * AWS-managed policies a role of the program may have attached, as AWS documents them: each
 * fixture in aws-policies/ names its source page and version. A role with an attached policy that
 * has no fixture cannot be evaluated, so looking it up fails loudly instead of granting nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** One recorded AWS-managed policy. */
export interface AwsManagedPolicy {
  readonly name: string;
  /** `arn:aws:iam::aws:policy/...` */
  readonly arn: string;
  /** The AWS Managed Policy Reference page the statements were copied from. */
  readonly source: string;
  /** The policy version the statements are. */
  readonly version: string;
  readonly document: unknown;
}

const FIXTURE_DIR = path.join(__dirname, "aws-policies");

const POLICIES: readonly AwsManagedPolicy[] = readdirSync(FIXTURE_DIR)
  .filter((file) => file.endsWith(".json"))
  .map((file) => JSON.parse(readFileSync(path.join(FIXTURE_DIR, file), "utf8")) as AwsManagedPolicy);

/** The recorded policy of this ARN (any partition); throws when none is recorded. */
export function awsManagedPolicy(policyArn: string): AwsManagedPolicy {
  const inAwsPartition = policyArn.replace(/^arn:[^:]+:/, "arn:aws:");
  const policy = POLICIES.find((candidate) => candidate.arn === inAwsPartition);
  if (policy === undefined) {
    throw new Error(`no fixture for AWS-managed policy ${policyArn}: record its statements in test/support/aws-policies/`);
  }
  return policy;
}
