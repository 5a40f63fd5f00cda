/** An S3 object named by an `s3://bucket/key` URI. */
export interface S3ObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Splits `s3://bucket/key` into bucket and key; throws for anything else (another scheme, no key).
 * Bucket names are S3's: 3 to 63 lower-case letters, digits, dots and hyphens.
 */
export function parseS3Uri(uri: string): S3ObjectLocation {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(uri);
  if (match === null) {
    throw new Error(`"${uri}" is not an S3 object URI; expected s3://<bucket>/<key>`);
  }
  return { bucket: match[1], key: match[2] };
}
