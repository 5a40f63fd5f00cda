/**
 * KMS key policies as AWS documents them. KMS, unlike other services, ignores IAM policies unless
 * the key policy lets it (the key policy is the resource policy of every KMS request), so whether a
 * role can decrypt a SecureString depends on the key's policy as much as on the role's.
 */

/** A KMS key: its ARN and its key policy. */
export interface KmsKey {
  readonly arn: string;
  readonly policy: unknown;
}

/**
 * SSM's AWS-managed key `aws/ssm`: its key policy lets every principal of the account use it
 * through SSM, with no IAM permission needed. So for SecureStrings under this key the only
 * gate is `ssm:GetParameter*`. Statements as the key policy of an AWS-managed key for Parameter
 * Store reads (AWS KMS Developer Guide, "AWS managed keys"; Systems Manager User Guide, "How AWS
 * Systems Manager Parameter Store uses AWS KMS": kms:ViaService and kms:CallerAccount conditions).
 * The account's real key policy can be read with `aws kms get-key-policy --key-id alias/aws/ssm`.
 */
export function awsManagedSsmKey(accountId: string, region: string, keyId = "a5500000-0000-4000-8000-000000000001"): KmsKey {
  return {
    arn: `arn:aws:kms:${region}:${accountId}:key/${keyId}`,
    policy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Allow access through Systems Manager for all principals in the account that are authorized to use Systems Manager",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
          Resource: "*",
          Condition: { StringEquals: { "kms:ViaService": `ssm.${region}.amazonaws.com`, "kms:CallerAccount": accountId } },
        },
        {
          Sid: "Allow direct access to key metadata to the account",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
          Resource: "*",
        },
      ],
    },
  };
}

/**
 * A customer-managed key with KMS's default key policy, which delegates to IAM in the key's own
 * account ("Allows access to the AWS account and enables IAM policies", AWS KMS Developer Guide,
 * "Default key policy"). When the key lives in another account than its users, its owner must add
 * the documented statements for an external account ("Allowing users in other accounts to use a KMS
 * key": use, and grants for AWS resources such as EBS volumes); the users' IAM policies then
 * decide, as in the key's own account.
 */
export function customerManagedKey(keyArn: string, userAccountIds: readonly string[] = []): KmsKey {
  const keyAccount = keyArn.split(":")[4];
  const external = userAccountIds.filter((account) => account !== keyAccount);
  return {
    arn: keyArn,
    policy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Enable IAM User Permissions",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${keyAccount}:root` },
          Action: "kms:*",
          Resource: "*",
        },
        ...(external.length === 0
          ? []
          : [
              {
                Sid: "Allow an external account to use this KMS key",
                Effect: "Allow",
                Principal: { AWS: external.map((account) => `arn:aws:iam::${account}:root`) },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: "*",
              },
              {
                Sid: "Allow attachment of persistent resources in an external account",
                Effect: "Allow",
                Principal: { AWS: external.map((account) => `arn:aws:iam::${account}:root`) },
                Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
              },
            ]),
      ],
    },
  };
}
