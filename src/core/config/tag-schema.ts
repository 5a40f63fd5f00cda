/**
 * The stack's extra tags. They go on every taggable resource: EC2 (instances, volumes, ENIs,
 * security group and rules), IAM roles and instance profiles, SSM parameters, the S3 bucket and
 * the DLM policy. So a tag must be one every one of those services accepts, or `pulumi up` stops
 * halfway through with some resources created. test/aws-api checks these rules against AWS's API
 * models (botocore 1.29.27): config accepts a tag exactly when every tagging API the program calls
 * does.
 */
import { z } from "zod";

/**
 * Key characters every tagging API the program calls accepts: IAM and SSM allow
 * `[\p{L}\p{Z}\p{N}_.:/=+\-@]` (iam 2010-05-08 tagKeyType, ssm 2014-11-06 TagKey), DLM only
 * `[a-zA-Z+-=._:/]` (dlm 2018-01-12 TagKey; `+-=` is the range `+ , - . / 0-9 : ; < =`).
 */
const TAG_KEY_CHARACTER = /[A-Za-z0-9_.:/=+-]/;

/** Value characters of IAM, SSM and S3 tags (iam tagValueType, ssm TagValue, S3's tagging rules). */
const TAG_VALUE_CHARACTER = /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u;

/** Tags per resource: EC2, IAM (tagListType max 50), S3 and SSM (AddTagsToResource) allow 50. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** Tags the program sets itself on one resource at most (src/core/aws/tags.ts): Name, etcd:cluster, etcd:member, etcd:volume. */
const PROGRAM_TAGS_PER_RESOURCE = 4;

/** The most extra tags a stack may set. */
export const MAX_STACK_TAGS = MAX_TAGS_PER_RESOURCE - PROGRAM_TAGS_PER_RESOURCE;

/** Each character of `text` that `allowed` refuses, once, quoted: `"(", ")"`. */
function refusedCharacters(text: string, allowed: RegExp): string {
  return [...new Set([...text].filter((character) => !allowed.test(character)))].map((character) => JSON.stringify(character)).join(", ");
}

function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > 128) return "a tag key must have 1 to 128 characters; shorten or rename the tag";
  if (key.toLowerCase().startsWith("aws:")) return 'tag keys starting with "aws:" are reserved for AWS; rename the tag';
  if (key.startsWith("etcd:") || key === "Name") {
    return 'the project sets "Name" and the "etcd:" tags itself (cluster, member, volume role); rename the tag';
  }
  const refused = refusedCharacters(key, TAG_KEY_CHARACTER);
  if (refused !== "") {
    return (
      `Data Lifecycle Manager, IAM or SSM would refuse the key's ${refused}: a tag key may hold only ASCII letters, ` + "digits and _ . : / = + -; rename the tag"
    );
  }
  return undefined;
}

function tagValueProblem(value: string): string | undefined {
  if (value.length === 0) return "SSM refuses an empty tag value; set a value or remove the tag";
  if (value.length > 256) return "a tag value may have at most 256 characters; shorten it";
  const refused = refusedCharacters(value, TAG_VALUE_CHARACTER);
  if (refused !== "") {
    return `IAM, SSM and S3 would refuse the value's ${refused}: a tag value may hold only letters, digits, spaces ` + "and _ . : / = + - @; replace them";
  }
  return undefined;
}

function checkTags(tags: Record<string, string>, context: z.RefinementCtx<Record<string, string>>): void {
  const count = Object.keys(tags).length;
  if (count > MAX_STACK_TAGS) {
    context.addIssue({
      code: "custom",
      input: tags,
      message:
        `${count} tags: AWS allows ${MAX_TAGS_PER_RESOURCE} per resource and the program adds up to ${PROGRAM_TAGS_PER_RESOURCE} ` +
        `of its own (Name, etcd:cluster, etcd:member, etcd:volume); keep at most ${MAX_STACK_TAGS}`,
    });
  }
  for (const [key, value] of Object.entries(tags)) {
    for (const problem of [tagKeyProblem(key), tagValueProblem(value)]) {
      if (problem !== undefined) context.addIssue({ code: "custom", path: [key], input: value, message: problem });
    }
  }
}

export const tagsSchema = z.record(z.string(), z.string()).superRefine(checkTags).readonly().default({});
