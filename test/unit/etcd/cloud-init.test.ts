import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { BOOT_SCRIPT_PATH } from "../../../components/etcd/boot-script";
import { MAX_USER_DATA_BYTES, renderMemberCloudInit } from "../../../components/etcd/cloud-init";
import { checkCloudConfig, checkShellScript, toolAvailable } from "../../support/linters";
import { bootInput, clusterOf } from "./fixtures";

interface WriteFile {
  readonly path: string;
  readonly permissions: string;
  readonly content: string;
}
interface CloudConfig {
  readonly packages?: string[];
  readonly write_files: WriteFile[];
  readonly runcmd: string[][];
}

const input = bootInput(clusterOf(3), 0);
const userData = renderMemberCloudInit(input);
const cloudConfig = parse(userData) as CloudConfig;
const fileAt = (path: string) => cloudConfig.write_files.find((file) => file.path === path);

describe("member cloud-init user data", () => {
  test("is #cloud-config YAML", () => {
    assert.ok(userData.startsWith("#cloud-config\n"));
    assert.equal(typeof cloudConfig, "object");
  });

  for (const osImage of ["al2023", "debian13"] as const) {
    test(`passes cloud-init schema (${osImage})`, (t) => {
      if (!toolAvailable(t, "cloud-init")) return;
      const report = checkCloudConfig(renderMemberCloudInit(bootInput(clusterOf(3), 0, { osImage })));
      assert.ok(report.passed, report.output);
    });
  }

  test("every shell script it writes passes shellcheck", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const scripts = cloudConfig.write_files.filter((file) => file.content.startsWith("#!/bin/bash"));
    assert.equal(scripts.length, 1);
    for (const script of scripts) {
      const report = checkShellScript(script.content);
      assert.ok(report.passed, `${script.path}: ${report.output}`);
    }
  });

  test("writes the etcd config and the unit exactly as rendered", () => {
    assert.equal(fileAt("/etc/etcd/etcd.conf.yml")?.content, input.etcdConfigYaml);
    assert.equal(fileAt("/etc/systemd/system/etcd.service")?.content, input.unit);
    assert.equal(fileAt(BOOT_SCRIPT_PATH)?.permissions, "0755");
  });

  test("runs the boot script as its only command, so its own set -e governs the whole boot", () => {
    assert.deepEqual(cloudConfig.runcmd, [[BOOT_SCRIPT_PATH]]);
  });

  test("leaves disks to the boot script: no disk_setup, fs_setup or mounts", () => {
    const keys = Object.keys(cloudConfig);
    for (const key of ["disk_setup", "fs_setup", "mounts"]) assert.ok(!keys.includes(key), key);
  });

  test("installs the AWS CLI and xfsprogs on Debian 13, and nothing on Amazon Linux 2023", () => {
    const debian = parse(renderMemberCloudInit(bootInput(clusterOf(3), 0, { osImage: "debian13" }))) as CloudConfig;
    assert.deepEqual(debian.packages, ["awscli", "xfsprogs", "curl"]);
    assert.equal(cloudConfig.packages, undefined);
  });

  test("holds no certificate or private key", () => {
    assert.doesNotMatch(userData, /-----BEGIN|PRIVATE KEY/);
  });

  test("stays below EC2's 16 KiB limit for a 7-member cluster with long names and a mirror", () => {
    const cluster = clusterOf(7, "etcd-production-payments-eu-central");
    for (let index = 0; index < cluster.length; index++) {
      const member = bootInput(cluster, index, { osImage: "debian13", mirror: "s3://etcd-release-mirror-123456789012-eu-central-1/etcd" });
      const bytes = Buffer.byteLength(renderMemberCloudInit(member));
      assert.ok(bytes < MAX_USER_DATA_BYTES, `${member.memberName}: ${bytes} bytes`);
    }
  });

  test("refuses to render user data above the limit", () => {
    const oversized = { ...input, etcdConfigYaml: `${input.etcdConfigYaml}# ${"x".repeat(MAX_USER_DATA_BYTES)}\n` };
    assert.throws(() => renderMemberCloudInit(oversized), /user data of etcd-test-0 is \d+ bytes; EC2 accepts at most 16384/);
  });
});
