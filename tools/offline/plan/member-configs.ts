/**
 * The plan's member sections: for every instance whose user data is a (compressed) cloud-config,
 * the files cloud-init writes (path, mode, size, digest: scripts are long and reviewed in their
 * renderers) and the etcd configuration file in full, since that file is what decides how the
 * cluster forms and whom it trusts.
 */
import { ETCD_CONFIG_FILE } from "../../../components/etcd/paths";
import type { ProgramRun } from "../program-run";
import { headerComments, membersFiles, type MemberFiles } from "./member-files";
import { maskPemBlocks, shortDigest } from "./plan-values";

function memberLines(member: MemberFiles): string[] {
  const instanceHeading = `== instance ${member.instance.name} ==`;
  if ("unreadable" in member) return [instanceHeading, member.unreadable];
  const etcdConfig = member.files.find((file) => file.path === ETCD_CONFIG_FILE);
  return [
    member.memberName === undefined ? instanceHeading : `== member ${member.memberName} (instance ${member.instance.name}) ==`,
    ...headerComments(member.userData),
    "files written by cloud-init:",
    ...member.files.map((file) => `  ${file.path} ${file.permissions} ${Buffer.byteLength(file.content)} bytes sha256 ${shortDigest(file.content)}`),
    `${ETCD_CONFIG_FILE}:`,
    ...(etcdConfig === undefined
      ? ["  [missing]"]
      : maskPemBlocks(etcdConfig.content).replace(/\n$/, "").split("\n").map((line) => `  ${line}`)),
  ];
}

export function memberConfigLines(run: ProgramRun): string[] {
  return membersFiles(run).flatMap((member) => [...memberLines(member), ""]);
}
