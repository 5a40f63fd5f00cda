/**
 * The plan's member sections: for every instance whose user data is a cloud-config, its size and
 * the bootstrap command it runs, then every file the member receives, from the user data and from
 * the bundle that command downloads (path, mode, size, digest: scripts are long and reviewed in
 * their renderers), and the etcd configuration file in full, since that file is what decides how
 * the cluster forms and whom it trusts.
 */
import { parse } from "yaml";
import { MAX_USER_DATA_BYTES } from "../../src/core/member/cloud-init";
import { ETCD_CONFIG_FILE } from "../../src/core/member/ports-and-paths";
import type { InstalledFile } from "../mock-runtime/cloud-init-files";
import type { ProgramRun } from "../mock-runtime/run-record";
import { headerComments, membersFiles, type MemberFiles } from "./instance-files";
import { maskPemBlocks, shortDigest } from "./plan-values";

function fileLines(files: readonly InstalledFile[]): string[] {
  return files.map((file) => `  ${file.path} ${file.permissions} ${Buffer.byteLength(file.content)} bytes sha256 ${shortDigest(file.content)}`);
}

function memberLines(member: MemberFiles): string[] {
  const instanceHeading = `== instance ${member.instance.name} ==`;
  if ("unreadable" in member) return [instanceHeading, member.unreadable];
  const etcdConfig = member.files.find((file) => file.path === ETCD_CONFIG_FILE);
  const runcmd = (parse(member.userData) as { runcmd?: string[][] }).runcmd ?? [];
  return [
    member.memberName === undefined ? instanceHeading : `== member ${member.memberName} (instance ${member.instance.name}) ==`,
    ...headerComments(member.userData),
    `user data: ${Buffer.byteLength(member.userData)} bytes (EC2 accepts at most ${MAX_USER_DATA_BYTES}); runcmd:`,
    ...runcmd.map((command) => `  ${command.join(" ")}`),
    "files written by cloud-init:",
    ...fileLines(member.userDataFiles),
    `files in the bundle (${member.bundleBytes} bytes):`,
    ...fileLines(member.bundleFiles),
    `${ETCD_CONFIG_FILE}:`,
    ...(etcdConfig === undefined
      ? ["  [missing]"]
      : maskPemBlocks(etcdConfig.content)
          .replace(/\n$/, "")
          .split("\n")
          .map((line) => `  ${line}`)),
  ];
}

export function memberSectionLines(run: ProgramRun): string[] {
  return membersFiles(run).flatMap((member) => [...memberLines(member), ""]);
}
