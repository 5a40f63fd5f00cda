/**
 * The backup bucket's own policy, as a plain JSON document (pure). What members may do in the
 * bucket is in their role's policy (member-policy.ts).
 */
import { policyDocument, type PolicyDocument } from "./policy-document";

/** The bucket's own policy: every request over plain HTTP is denied, whoever makes it. */
export function backupBucketPolicy(bucketArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:*"],
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}
