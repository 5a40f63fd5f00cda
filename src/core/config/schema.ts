/**
 * The stack config as Pulumi delivers it (keys without the `etcd-cluster:` namespace), checked key
 * by key and filled with the defaults of defaults.ts. Rules that span several keys live in
 * topology-rules.ts and tuning-rules.ts; resolve.ts runs both and reports every problem at once.
 */
import { z } from "zod";
import { SUPPORTED_ETCD_VERSIONS } from "../etcd/versions";
import {
  DEFAULT_ALLOW_MEMBER_REPLACEMENT,
  DEFAULT_ALLOW_SINGLE_MEMBER,
  DEFAULT_DATA_VOLUME,
  DEFAULT_ETCD_VERSION,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_MEMBERS,
  DEFAULT_OS_IMAGE,
  DEFAULT_PROTECT_DATA,
  DEFAULT_WAL_VOLUME,
} from "./defaults";
import { awsId, checkedBy, formattedString, ipv4Cidr, kmsKeyArn, uniqueList } from "./fields";
import { clusterNameProblem, downloadBaseUrlProblem, instanceTypeProblem } from "./formats";
import { backupSettingsSchema, pkiSettingsSchema, restoreSettingsSchema, tuningSettingsSchema } from "./section-schemas";
import { tagsSchema } from "./tag-schema";
import { memberCountProblem } from "./topology-rules";
import type { ClusterConfig } from "./types";
import { volumeSettingsSchema } from "./volume-schema";

function etcdVersionProblem(version: string): string | undefined {
  if (SUPPORTED_ETCD_VERSIONS.includes(version)) return undefined;
  return `not a supported etcd release (supported: those with pinned checksums, ${SUPPORTED_ETCD_VERSIONS.join(", ")}); set one of them, e.g. ${DEFAULT_ETCD_VERSION}`;
}

/** Every key of the stack config and its schema. */
export const clusterConfigShape = {
  /** Required by the schema; resolve.ts supplies the stack-dependent default (`etcd-<stack>`). */
  clusterName: formattedString(clusterNameProblem),
  members: checkedBy(z.int(), memberCountProblem).default(DEFAULT_MEMBERS),
  allowSingleMember: z.boolean().default(DEFAULT_ALLOW_SINGLE_MEMBER),
  protectData: z.boolean().default(DEFAULT_PROTECT_DATA),
  allowMemberReplacement: z.boolean().default(DEFAULT_ALLOW_MEMBER_REPLACEMENT),
  vpcId: awsId("vpc"),
  subnetIds: uniqueList(awsId("subnet"), "subnet", 1),
  instanceType: formattedString(instanceTypeProblem).default(DEFAULT_INSTANCE_TYPE),
  ami: awsId("ami").optional(),
  osImage: z.enum(["al2023", "debian13"]).default(DEFAULT_OS_IMAGE),
  etcdVersion: formattedString(etcdVersionProblem).default(DEFAULT_ETCD_VERSION),
  etcdDownloadBaseUrl: formattedString(downloadBaseUrlProblem).optional(),
  dataVolume: volumeSettingsSchema(DEFAULT_DATA_VOLUME),
  walVolume: volumeSettingsSchema(DEFAULT_WAL_VOLUME),
  kmsKeyId: kmsKeyArn.optional(),
  clientCidrs: uniqueList(ipv4Cidr, "CIDR block").default([]),
  clientSecurityGroupIds: uniqueList(awsId("sg"), "security group").default([]),
  monitoringCidrs: uniqueList(ipv4Cidr, "CIDR block").default([]),
  tuning: tuningSettingsSchema,
  pki: pkiSettingsSchema,
  backup: backupSettingsSchema,
  restore: restoreSettingsSchema.optional(),
  tags: tagsSchema,
};

/** The whole config: a key the schema does not know is a problem, so a misspelt key never goes unnoticed. */
export const clusterConfigSchema = z.strictObject(clusterConfigShape).readonly();

/**
 * The same keys without the unknown-key check, for rules that read a few keys: `pick` what a rule
 * needs and the rule runs whenever those keys are valid, whatever else is wrong.
 */
export const clusterConfigFields = z.object(clusterConfigShape);

/** The config as written: every key optional except vpcId and subnetIds (and clusterName, see above). */
export type RawClusterConfig = z.input<typeof clusterConfigSchema>;

type Exact<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

/** Compile-time guard (exported so tsc keeps it): fails the build when the schema and ClusterConfig drift apart. */
export type SchemaOutputIsClusterConfig = Assert<Exact<z.output<typeof clusterConfigSchema>, ClusterConfig>>;
