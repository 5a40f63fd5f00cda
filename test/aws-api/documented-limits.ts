/**
 * Limits AWS documents (or the Terraform AWS provider, under Pulumi's aws provider, validates at
 * plan time) that the botocore models leave out: EC2's and S3's models type most members as a
 * bare string. Keyed `<service>:<StructureShape>.<member>` (`key`/`value` for a map's keys and
 * values), applied by shape-check.ts wherever that member appears. Each names its source.
 */

/** A limit on one member's value: sizes count characters (strings) or entries (lists, maps). */
export interface DocumentedLimit {
  readonly min?: number;
  readonly max?: number;
  /** Matched against the whole value. */
  readonly pattern?: RegExp;
  /** A rule no pattern states; returns what the value breaks, or undefined. */
  readonly check?: (value: unknown) => string | undefined;
  /** The document (and section) the limit is from. */
  readonly source: string;
}

const EC2_TAGS = "EC2 User Guide, Tag your Amazon EC2 resources, Tag restrictions";
const TAGGING_GUIDE = "Tagging AWS Resources User Guide, Tag naming limits and requirements";
const SG_RULES = "EC2 API Reference, CreateSecurityGroup and IpRange/UserIdGroupPair: Description";

/** Characters every tagging service accepts (the tagging guide's common set). */
const COMMON_TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Security group names and descriptions in a VPC: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$* */
const SECURITY_GROUP_TEXT = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
/** Rule descriptions: the same without `&`. */
const SECURITY_GROUP_RULE_TEXT = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]*$/;

/** S3 User Guide, General purpose bucket naming rules. */
function bucketNameProblem(value: unknown): string | undefined {
  const name = String(value);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return "3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";
  if (name.includes("..")) return "no two adjacent periods";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "not formatted as an IP address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return "no reserved prefix (xn--, sthree-, amzn-s3-demo-)";
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return "no reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)";
  return undefined;
}

/** EC2 User Guide, Run commands when you launch an EC2 instance with user data: 16 KB raw, before base64. */
function userDataProblem(value: unknown): string | undefined {
  const bytes = Buffer.from(String(value), "base64").length;
  return bytes > 16 * 1024 ? `at most 16384 bytes before base64 encoding (is ${bytes})` : undefined;
}

/**
 * Parameter Store's value limit, which depends on the request's tier: 4 KB in the standard tier
 * (also what an absent Tier gets in an account whose default tier was never changed), 8 KB in the
 * advanced tier (Intelligent-Tiering moves a larger value there). The model types Value as a bare
 * string; its documentation states the limits. Counted in bytes: every value this program writes is
 * ASCII (PEM, names), so bytes and characters agree.
 */
function parameterValueProblem(request: unknown): string | undefined {
  const { Value: value, Tier: tier } = request as { Value?: unknown; Tier?: unknown };
  if (typeof value !== "string") return undefined;
  const bytes = Buffer.byteLength(value, "utf8");
  const limit = tier === "Advanced" || tier === "Intelligent-Tiering" ? 8192 : 4096;
  const tierName = typeof tier === "string" ? tier : "default (Standard)";
  return bytes > limit ? `Value at most ${limit} bytes in the ${tierName} tier (is ${bytes})` : undefined;
}

export const DOCUMENTED_LIMITS: Readonly<Record<string, DocumentedLimit>> = {
  "ec2:TagSpecification.Tags": { max: 50, source: EC2_TAGS },
  "ec2:Tag.Key": {
    min: 1,
    max: 128,
    check: (key) => (String(key).toLowerCase().startsWith("aws:") ? "the aws: prefix is reserved" : undefined),
    source: EC2_TAGS,
  },
  "ec2:Tag.Value": { max: 256, source: EC2_TAGS },
  "ec2:CreateSecurityGroupRequest.GroupName": {
    min: 1,
    max: 255,
    pattern: SECURITY_GROUP_TEXT,
    check: (name) => (String(name).startsWith("sg-") ? "must not start with sg-" : undefined),
    source: "EC2 API Reference, CreateSecurityGroup: GroupName",
  },
  "ec2:CreateSecurityGroupRequest.Description": {
    max: 255,
    pattern: SECURITY_GROUP_TEXT,
    source: "EC2 API Reference, CreateSecurityGroup: Description",
  },
  "ec2:IpRange.Description": { max: 255, pattern: SECURITY_GROUP_RULE_TEXT, source: SG_RULES },
  "ec2:UserIdGroupPair.Description": { max: 255, pattern: SECURITY_GROUP_RULE_TEXT, source: SG_RULES },
  "ec2:RunInstancesRequest.UserData": {
    check: userDataProblem,
    source: "EC2 User Guide, instance user data: limited to 16 KB in raw form",
  },
  "s3:CreateBucketRequest.Bucket": { check: bucketNameProblem, source: "S3 User Guide, General purpose bucket naming rules" },
  "s3:Tagging.TagSet": { max: 50, source: "S3 User Guide, Using cost allocation S3 bucket tags: up to 50 tags per bucket" },
  "s3:Tag.Key": { max: 128, pattern: COMMON_TAG_CHARACTERS, source: TAGGING_GUIDE },
  "s3:Tag.Value": { max: 256, pattern: COMMON_TAG_CHARACTERS, source: TAGGING_GUIDE },
  "ssm:PutParameterRequest": {
    check: parameterValueProblem,
    source: "Systems Manager API Reference, PutParameter: Value (standard parameters 4 KB, advanced 8 KB)",
  },
  "ssm:PutParameterRequest.Tags": {
    max: 50,
    source: "Systems Manager API Reference, AddTagsToResource: each resource can have a maximum of 50 tags",
  },
  // The provider validates these at plan time (internal/service/dlm/lifecycle_policy.go:
  // description StringMatch ^[0-9A-Za-z _-]+$ and length 1-500; schedule name the same, 1-120).
  "dlm:CreateLifecyclePolicyRequest.Description": {
    min: 1,
    max: 500,
    pattern: /^[0-9A-Za-z _-]+$/,
    source: "Terraform AWS provider, aws_dlm_lifecycle_policy: description validation",
  },
  "dlm:Schedule.Name": {
    min: 1,
    max: 120,
    pattern: /^[0-9A-Za-z _-]+$/,
    source: "Terraform AWS provider, aws_dlm_lifecycle_policy: schedule name validation",
  },
};
