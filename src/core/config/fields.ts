/** Zod building blocks for single config values, each refusing a bad value with its reason and fix. */
import { z } from "zod";
import { awsIdProblem, ipv4CidrProblem, kmsKeyArnProblem, s3ObjectUriProblem, sha256HexProblem, type AwsIdPrefix } from "./formats";

/** Adds a check whose failure text (reason and fix) becomes the problem message for the value. */
export function checkedBy<T extends z.ZodType>(schema: T, problemOf: (value: z.output<T>) => string | undefined): T {
  return schema.superRefine((value, context) => {
    const reasonAndFix = problemOf(value);
    if (reasonAndFix !== undefined) context.addIssue({ code: "custom", message: reasonAndFix, input: value });
  });
}

/** A string that must pass a format check from formats.ts. */
export function formattedString(problemOf: (value: string) => string | undefined): z.ZodString {
  return checkedBy(z.string(), problemOf);
}

/** An AWS resource ID with the given prefix (formats.ts `awsIdProblem`). */
export function awsId(prefix: AwsIdPrefix): z.ZodString {
  return formattedString((value) => awsIdProblem(prefix, value));
}

/** An IPv4 CIDR block with its host bits zero. */
export const ipv4Cidr = formattedString(ipv4CidrProblem);
/** A KMS key ARN (not a key ID or alias). */
export const kmsKeyArn = formattedString(kmsKeyArnProblem);
/** An `s3://bucket/key` URI. */
export const s3ObjectUri = formattedString(s3ObjectUriProblem);
/** A SHA-256 digest in lowercase hex. */
export const sha256Hex = formattedString(sha256HexProblem);

/**
 * A list in which every entry appears once: a repeated subnet would put two members in one AZ
 * unnoticed, and a repeated security group rule is refused by AWS (`InvalidPermission.Duplicate`).
 * The problem is reported on the repeat, naming the first occurrence.
 */
export function uniqueList<T extends z.ZodType<string>>(item: T, noun: string, minimumCount = 0) {
  return z
    .array(item)
    .min(minimumCount)
    .superRefine((values, context) => {
      values.forEach((value, index) => {
        const first = values.indexOf(value);
        if (first === index) return;
        context.addIssue({
          code: "custom",
          path: [index],
          input: value,
          message: `repeats entry [${first}]; list each ${noun} once`,
        });
      });
    })
    .readonly();
}
