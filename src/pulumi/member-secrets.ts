import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { caParameterName, MEMBER_SECRET_FILES, memberParameterName } from "../core/member/ssm-parameters";
import { CERT_FILES } from "../core/member/ports-and-paths";
import type { MemberCertificates } from "./pki";

/** How secrets are stored. */
export interface SecretParameterSettings {
  /** KMS key (ARN) encrypting the SecureString parameters; SSM's AWS-managed key (`aws/ssm`) when absent. */
  readonly kmsKeyArn?: string;
  /** Tags of every parameter. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * One SecureString parameter. Certificates are public, but they go through the same channel as
 * the keys so a member reads all its TLS files one way. Values stay Pulumi secrets in state.
 * The standard tier's 4096 bytes hold every value this project writes: an RSA-4096 key is 3243 bytes,
 * the CA parameter with two RSA-4096 CA certificates (a rotation's trust-both stage) 4038 at the
 * longest cluster name (test/aws-api edge configs check it with real certificates).
 */
function secureParameter(
  resourceName: string,
  parameterName: string,
  value: pulumi.Input<string>,
  settings: SecretParameterSettings,
  opts: pulumi.CustomResourceOptions,
): aws.ssm.Parameter {
  return new aws.ssm.Parameter(
    resourceName,
    {
      name: parameterName,
      type: "SecureString",
      tier: "Standard",
      value: pulumi.secret(value),
      keyId: settings.kmsKeyArn,
      tags: { ...settings.tags },
    },
    opts,
  );
}

/** The cluster CA certificate's parameter. */
export function createCaParameter(
  name: string,
  clusterName: string,
  caCertPem: pulumi.Input<string>,
  settings: SecretParameterSettings,
  opts: pulumi.CustomResourceOptions,
): aws.ssm.Parameter {
  return secureParameter(`${name}-param-ca-crt`, caParameterName(clusterName), caCertPem, settings, opts);
}

/**
 * A member's server and peer certificates and keys, one parameter per file of MEMBER_SECRET_FILES
 * under the member's own path (the boot script fetches exactly these).
 */
export function createMemberSecretParameters(
  resourcePrefix: string,
  parameterPath: string,
  certificates: MemberCertificates,
  settings: SecretParameterSettings,
  opts: pulumi.CustomResourceOptions,
): aws.ssm.Parameter[] {
  const contents: Record<string, pulumi.Output<string>> = {
    [CERT_FILES.serverCert]: certificates.server.certPem,
    [CERT_FILES.serverKey]: certificates.server.privateKeyPem,
    [CERT_FILES.peerCert]: certificates.peer.certPem,
    [CERT_FILES.peerKey]: certificates.peer.privateKeyPem,
  };
  return MEMBER_SECRET_FILES.map(({ file }) => {
    const content = contents[file];
    if (content === undefined) throw new Error(`no certificate material for ${file}`);
    const resourceName = `${resourcePrefix}-param-${file.replace(".", "-")}`;
    return secureParameter(resourceName, memberParameterName(parameterPath, file), content, settings, opts);
  });
}
