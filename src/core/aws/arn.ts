/** Pieces of ARNs the policies build (pure). */

/** `aws`, `aws-cn` or `aws-us-gov`: the partition an ARN belongs to. */
export function partitionOf(arn: string): string {
  const partition = arn.split(":")[1];
  if (!arn.startsWith("arn:") || !partition) throw new Error(`"${arn}" is not an ARN`);
  return partition;
}

/** The ARN of objects in a bucket: `<bucket ARN>/<key or key pattern>`. */
export function s3ObjectArn(bucketArn: string, key: string): string {
  return `${bucketArn}/${key}`;
}

/** The partition of a region: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, else `aws`. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
