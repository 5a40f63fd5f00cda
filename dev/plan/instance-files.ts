/**
 * What each member's instance receives: the files of its cloud-config, read back from the
 * instance's user data, the files of the bundle object that names, and the etcd member name from
 * its etcd configuration. Shared by the plan's member sections and the per-member diff of
 * `npm run plan -- <stack> --diff <ref>`.
 */
import { parse } from "yaml";
import { ETCD_CONFIG_FILE } from "../../src/core/member/ports-and-paths";
import { cloudInitFiles, decodedCloudConfig, type InstalledFile } from "../mock-runtime/cloud-init-files";
import { bundleArchiveFiles, memberBundleArchive } from "../mock-runtime/received-files";
import type { ProgramRun, RecordedResource } from "../mock-runtime/run-record";
import { UnknownValue } from "../mock-runtime/recorded-value";

export const INSTANCE_TYPE = "aws:ec2/instance:Instance";

/** One instance's files, or why they cannot be read. */
export type MemberFiles =
  | {
      readonly instance: RecordedResource;
      /** The etcd member name (`name:` of its etcd configuration), when it has one. */
      readonly memberName: string | undefined;
      /** The whole cloud-config, as cloud-init receives it. */
      readonly userData: string;
      /** Its `write_files`, in order (the bootstrap). */
      readonly userDataFiles: readonly InstalledFile[];
      /** Size of the bundle archive the user data names. */
      readonly bundleBytes: number;
      /** The bundle's files, in archive order. */
      readonly bundleFiles: readonly InstalledFile[];
      /** Every file the member receives: the user data's, then the bundle's. */
      readonly files: readonly InstalledFile[];
    }
  | { readonly instance: RecordedResource; readonly unreadable: string };

export function instanceMemberFiles(run: ProgramRun, instance: RecordedResource): MemberFiles {
  const encoded = instance.inputs.userDataBase64;
  if (encoded instanceof UnknownValue) return { instance, unreadable: "user data: [unknown until apply]" };
  const userData = typeof encoded === "string" ? decodedCloudConfig(encoded) : undefined;
  if (userData === undefined) return { instance, unreadable: "user data: not a cloud-config" };
  const userDataFiles = cloudInitFiles(userData);
  const archive = memberBundleArchive(run, userData);
  const bundleFiles = bundleArchiveFiles(archive);
  const files = [...userDataFiles, ...bundleFiles];
  const etcdConfig = files.find((file) => file.path === ETCD_CONFIG_FILE);
  const memberName = etcdConfig === undefined ? undefined : (parse(etcdConfig.content) as { name?: string } | null)?.name;
  return { instance, memberName, userData, userDataFiles, bundleBytes: archive.byteLength, bundleFiles, files };
}

/**
 * The comment lines heading the cloud-config: what the member runs and the fingerprint of its
 * certificates, so a renewal that replaces a member shows as a changed line in the plan's diff.
 */
export function headerComments(userData: string): string[] {
  const lines = userData.split("\n").slice(1);
  const end = lines.findIndex((line) => !line.startsWith("# "));
  return lines.slice(0, end === -1 ? lines.length : end);
}

/** Every instance's files, instances sorted by resource name. */
export function membersFiles(run: ProgramRun): MemberFiles[] {
  return run.resources
    .filter((resource) => resource.type === INSTANCE_TYPE)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((instance) => instanceMemberFiles(run, instance));
}
