/**
 * Format checks of single values (AWS IDs, CIDR blocks, ARNs, URIs). Each returns the reason and
 * the fix when the value is malformed, or undefined when it is fine; schema helpers in fields.ts
 * turn the text into a config problem.
 */
import { calendarIntervalSeconds } from "../formats/calendar-interval";
import { parseS3Uri } from "../formats/s3-uri";

/** Resource IDs the config takes, by their prefix. */
export type AwsIdPrefix = "vpc" | "subnet" | "sg" | "ami";

const AWS_ID_NOUNS: Readonly<Record<AwsIdPrefix, string>> = {
  vpc: "a VPC ID",
  subnet: "a subnet ID",
  sg: "a security group ID",
  ami: "an AMI ID",
};

/** AWS issued 8 hex digits until 2018-2019 and 17 since; both forms are live. */
const AWS_ID_HEX = /^[0-9a-f]{8}$|^[0-9a-f]{17}$/;

/** `<prefix>-` and 8 or 17 lowercase hex digits, e.g. `vpc-0123456789abcdef0`. */
export function awsIdProblem(prefix: AwsIdPrefix, value: string): string | undefined {
  const hex = value.startsWith(`${prefix}-`) ? value.slice(prefix.length + 1) : undefined;
  if (hex !== undefined && AWS_ID_HEX.test(hex)) return undefined;
  return `not ${AWS_ID_NOUNS[prefix]}; write "${prefix}-" followed by 8 or 17 lowercase hex digits, e.g. ${prefix}-0123456789abcdef0`;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const DECIMAL_WITHOUT_LEADING_ZERO = /^(0|[1-9]\d*)$/;

/** An IPv4 CIDR block with its host bits zero (security group rules refuse anything else). */
export function ipv4CidrProblem(value: string): string | undefined {
  const match = IPV4_CIDR.exec(value);
  const parts = match?.slice(1) ?? [];
  const numbers = parts.map(Number);
  const octets = numbers.slice(0, 4);
  const prefixLength = numbers[4] ?? -1;
  const wellFormed = match !== null && parts.every((part) => DECIMAL_WITHOUT_LEADING_ZERO.test(part)) && octets.every((octet) => octet <= 255) && prefixLength <= 32;
  if (!wellFormed) {
    return "not an IPv4 CIDR block; write an address and a prefix length of 0 to 32, e.g. 10.0.0.0/16";
  }
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const blockSize = 2 ** (32 - prefixLength);
  const network = address - (address % blockSize);
  if (network === address) return undefined;
  const networkText = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".");
  const host = value.slice(0, value.indexOf("/"));
  return `host bits are set; write the network address ${networkText}/${prefixLength}, or ${host}/32 for that one host`;
}

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/**
 * Only a key ARN: EC2 stores a volume's key as its ARN, so a key ID or an alias would differ from
 * the stored value on every preview, and a changed key replaces the volume (its data with it).
 */
export function kmsKeyArnProblem(value: string): string | undefined {
  if (KMS_KEY_ARN.test(value)) return undefined;
  return (
    "not a KMS key ARN; use the key's ARN, e.g. arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab " +
    "(a key ID or alias would read back as the ARN and replace every volume on the next update)"
  );
}

/** `s3://<bucket>/<key>` (src/core/formats/s3-uri.ts parses it where the restore script is rendered). */
export function s3ObjectUriProblem(value: string): string | undefined {
  try {
    parseS3Uri(value);
    return undefined;
  } catch {
    return "not an S3 object URI; write s3://<bucket>/<key>, e.g. s3://etcd-backups/etcd-prod/2026-07-01T00-00Z.db";
  }
}

/**
 * The SHA-256 a restore pins its snapshot object to: 64 hex digits, as `sha256sum` prints them and
 * as the backup script records them in the object's `sha256` metadata.
 */
export function sha256HexProblem(value: string): string | undefined {
  if (/^[0-9a-f]{64}$/.test(value)) return undefined;
  return (
    "not a SHA-256 digest; write the snapshot's 64 lowercase hex digits, as `sha256sum <file>` prints them or as the backup " +
    "recorded them: aws s3api head-object --bucket <bucket> --key <key> --query Metadata.sha256"
  );
}

/**
 * http is accepted as well as https: mirrors in air-gapped VPCs often have no TLS, and the boot
 * script verifies the tarball's pinned SHA-256 whatever the transport. `s3://<bucket>[/<prefix>]`
 * serves VPCs with only an S3 endpoint: the boot script downloads with the AWS CLI and the member
 * role may read exactly the one tarball (src/core/aws/member-policy.ts). The bucket part
 * follows S3's bucket names, as src/core/formats/s3-uri.ts parses them.
 */
export function downloadBaseUrlProblem(value: string): string | undefined {
  if (/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(value)) return undefined;
  if (/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s?#]*)?$/.test(value)) return undefined;
  return (
    "not a mirror base URL; write an http(s) URL without query or an S3 location, " +
    "e.g. https://etcd-mirror.example.internal/releases or s3://etcd-mirror/releases"
  );
}

/**
 * Any EC2 instance type name: family, generation and options, a dot, a size (`m6i.large`,
 * `u-6tb1.metal`, `c7i.metal-24xl`). The one pattern: plan/architecture.ts reads names with it too.
 */
export const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

/** A name INSTANCE_TYPE_PATTERN accepts. */
export function instanceTypeProblem(value: string): string | undefined {
  if (INSTANCE_TYPE_PATTERN.test(value)) return undefined;
  return "not an EC2 instance type; write family and size, e.g. m6i.large or m7g.large";
}

/**
 * The longest cluster name: the DLM role's generated name, `<cluster>-volume-snapshots-<7 hex>`,
 * then fills IAM's 64-character role name (iam 2010-05-08 roleNameType). test/aws-api derives
 * this from every name the program builds and fails when it is not exactly the tightest fit.
 */
export const MAX_CLUSTER_NAME_LENGTH = 39;

/**
 * The cluster name becomes part of resource names, tags, SSM parameter paths, S3 prefixes and
 * every etcd member name, so it keeps to what all of them accept: a short DNS label.
 */
export function clusterNameProblem(value: string): string | undefined {
  if (value.length > MAX_CLUSTER_NAME_LENGTH) {
    return (
      `${value.length} characters, longer than the ${MAX_CLUSTER_NAME_LENGTH} the names built from it leave room for ` +
      `(IAM refuses role names over 64 characters, e.g. "<clusterName>-volume-snapshots-<7 hex>"); shorten it`
    );
  }
  if (new RegExp(`^[a-z][a-z0-9-]{0,${MAX_CLUSTER_NAME_LENGTH - 2}}[a-z0-9]$`).test(value)) return undefined;
  return `not a usable cluster name; use 2 to ${MAX_CLUSTER_NAME_LENGTH} lowercase letters, digits and hyphens, starting with a letter, e.g. etcd-prod`;
}

/** The longest backup interval accepted: a day. */
const MAX_BACKUP_INTERVAL_SECONDS = 86400;

/**
 * The schedule is written into a systemd timer unit: allow only the characters of an `OnCalendar`
 * expression, so no value can end the line and add unit directives.
 */
export function calendarExpressionProblem(value: string): string | undefined {
  if (!/^[A-Za-z0-9*:/,.~ -]+$/.test(value)) {
    return 'not a systemd OnCalendar expression; write e.g. "*:0/30" (every 30 minutes) or "hourly", and check it with `systemd-analyze calendar`';
  }
  // The backup-freshness alarms fire after twice the longest gap between runs (calendar-interval.ts).
  const interval = calendarIntervalSeconds(value);
  if (interval === undefined) {
    return 'a schedule whose interval the backup-freshness alarms cannot derive; use minutely, hourly, daily or a daily time pattern such as "*:0/30", "0/6:00" or "02:30"';
  }
  // The alarm's window is two intervals; CloudWatch evaluates at most 7 days, and etcd wants frequent snapshots.
  if (interval > MAX_BACKUP_INTERVAL_SECONDS) return 'snapshots less often than daily; take at least one a day, e.g. "daily" or "*:0/30"';
  return undefined;
}
