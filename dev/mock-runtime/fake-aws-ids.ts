/**
 * Deterministic stand-ins for what AWS assigns: resource IDs, generated names and ARNs. The same
 * logical name always gets the same value, so plans and golden files are stable across runs.
 */
import { createHash } from "node:crypto";

/** The account every fake ARN names. */
export const FAKE_ACCOUNT_ID = "123456789012";

/** `length` lowercase hex digits derived from the seed. */
export function stableHex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** An ID in AWS's style: prefix, dash, 17 hex digits (`vol-0c1f…`). */
export function fakeAwsId(prefix: string, seed: string): string {
  return `${prefix}-${stableHex(seed, 17)}`;
}

/** The name the AWS provider generates when the program sets none: logical name, dash, 7 hex digits. */
export function fakeAutoName(logicalName: string): string {
  return `${logicalName}-${stableHex(logicalName, 7)}`;
}

/** An ARN in the fake account; global services (iam, s3) have no region in their ARNs. */
export function fakeArn(service: string, region: string, resource: string): string {
  const regional = service !== "iam" && service !== "s3";
  return `arn:aws:${service}:${regional ? region : ""}:${service === "s3" ? "" : FAKE_ACCOUNT_ID}:${resource}`;
}
