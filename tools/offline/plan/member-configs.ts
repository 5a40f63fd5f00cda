/**
 * The plan's member sections: for every instance whose user data is a (compressed) cloud-config,
 * the files cloud-init writes (path, mode, size, digest: scripts are long and reviewed in their
 * renderers) and the etcd configuration file in full, since that file is what decides how the
 * cluster forms and whom it trusts.
 */
import { parse } from "yaml";
import { ETCD_CONFIG_FILE } from "../../../components/etcd/paths";
import { cloudInitFiles, unpackedCloudConfig } from "../cloud-init-files";
import type { ProgramRun, RecordedResource } from "../program-run";
import { UnknownValue } from "../recorded-value";
import { maskPemBlocks, shortDigest } from "./plan-values";

const INSTANCE_TYPE = "aws:ec2/instance:Instance";

/**
 * The comment lines heading the cloud-config: what the member runs and the fingerprint of its
 * certificates, so a renewal that replaces a member shows as a changed line in the plan's diff.
 */
function headerComments(userData: string): string[] {
  const lines = userData.split("\n").slice(1);
  const end = lines.findIndex((line) => !line.startsWith("# "));
  return lines.slice(0, end === -1 ? lines.length : end);
}

function memberLines(instance: RecordedResource): string[] {
  const packed = instance.inputs.userDataBase64;
  const instanceHeading = `== instance ${instance.name} ==`;
  if (packed instanceof UnknownValue) return [instanceHeading, "user data: [unknown until apply]"];
  const userData = typeof packed === "string" ? unpackedCloudConfig(packed) : undefined;
  if (userData === undefined) return [instanceHeading, "user data: not a compressed cloud-config"];
  const files = cloudInitFiles(userData);
  const etcdConfig = files.find((file) => file.path === ETCD_CONFIG_FILE);
  const memberName = etcdConfig === undefined ? undefined : (parse(etcdConfig.content) as { name?: string } | null)?.name;
  return [
    memberName === undefined ? instanceHeading : `== member ${memberName} (instance ${instance.name}) ==`,
    ...headerComments(userData),
    "files written by cloud-init:",
    ...files.map((file) => `  ${file.path} ${file.permissions} ${Buffer.byteLength(file.content)} bytes sha256 ${shortDigest(file.content)}`),
    `${ETCD_CONFIG_FILE}:`,
    ...(etcdConfig === undefined
      ? ["  [missing]"]
      : maskPemBlocks(etcdConfig.content).replace(/\n$/, "").split("\n").map((line) => `  ${line}`)),
  ];
}

export function memberConfigLines(run: ProgramRun): string[] {
  return run.resources
    .filter((resource) => resource.type === INSTANCE_TYPE)
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((instance) => [...memberLines(instance), ""]);
}
