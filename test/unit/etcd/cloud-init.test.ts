import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync, strToU8 } from "fflate";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { BOOT_SCRIPT_PATH, BOOTSTRAP_SCRIPT_PATH } from "../../../src/core/member/ports-and-paths";
import { certificatesFingerprint } from "../../../src/core/member/certificates-fingerprint";
import { encodeUserData, etcdReleaseOfUserData, MAX_USER_DATA_BYTES, memberBootstrapScript, renderMemberCloudInit } from "../../../src/core/member/cloud-init";
import { bundleReference, cloudInitFiles, memberCloudConfig } from "../../../dev/mock-runtime/cloud-init-files";
import { checkCloudConfig, checkShellScriptFile, toolAvailable } from "../../support/linters";
import { certificatePem, cloudInitInput, memberCertificatePems } from "./fixtures";

interface CloudConfig {
  readonly packages?: string[];
  readonly runcmd: string[][];
}

const input = cloudInitInput("etcd-test-0");
const userData = renderMemberCloudInit(input);
const cloudConfig = parse(userData) as CloudConfig;

describe("member cloud-init user data (the bootstrap)", () => {
  test("is #cloud-config YAML", () => {
    assert.ok(userData.startsWith("#cloud-config\n"));
    assert.equal(typeof cloudConfig, "object");
  });

  for (const osImage of ["al2023", "debian13"] as const) {
    test(`passes cloud-init schema (${osImage})`, (t) => {
      if (!toolAvailable(t, "cloud-init")) return;
      const report = checkCloudConfig(renderMemberCloudInit(cloudInitInput("etcd-test-0", { osImage })));
      assert.ok(report.passed, report.output);
    });
  }

  test("writes exactly one file: the bootstrap, byte for byte as member-bootstrap.sh, executable", () => {
    assert.deepEqual(
      cloudInitFiles(userData).map((file) => [file.path, file.permissions, file.content]),
      [[BOOTSTRAP_SCRIPT_PATH, "0755", memberBootstrapScript()]],
    );
  });

  test("the bootstrap passes shellcheck as the file it is", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const report = checkShellScriptFile(join(__dirname, "../../../src/core/member/member-bootstrap.sh"));
    assert.ok(report.passed, report.output);
  });

  test("runs the bootstrap as its only command, with the bundle's location, its digest and the boot script", () => {
    assert.deepEqual(cloudConfig.runcmd, [
      [BOOTSTRAP_SCRIPT_PATH, "--region", "eu-west-1", "--bundle", input.bundleUri, "--sha256", input.bundleSha256, "--boot", BOOT_SCRIPT_PATH],
    ]);
    assert.deepEqual(bundleReference(userData), {
      uri: input.bundleUri,
      key: `etcd-test/members/etcd-test-0/bundle-${input.bundleSha256}.tar.gz`,
      sha256: input.bundleSha256,
    });
  });

  test("leaves disks to the boot script: no disk_setup, fs_setup or mounts", () => {
    const keys = Object.keys(cloudConfig);
    for (const key of ["disk_setup", "fs_setup", "mounts"]) assert.ok(!keys.includes(key), key);
  });

  test("installs the AWS CLI and xfsprogs on Debian 13, and nothing on Amazon Linux 2023", () => {
    const debian = parse(renderMemberCloudInit(cloudInitInput("etcd-test-0", { osImage: "debian13" }))) as CloudConfig;
    assert.deepEqual(debian.packages, ["awscli", "xfsprogs", "curl"]);
    assert.equal(cloudConfig.packages, undefined);
  });

  test("holds no certificate or private key", () => {
    assert.doesNotMatch(userData, /-----BEGIN|PRIVATE KEY/);
  });

  test("names the fingerprint of the member's certificates in a comment line", () => {
    assert.ok(userData.includes(`\n# certificates: ${input.certificatesFingerprint}\n`));
  });

  test("differs only in that comment line when a certificate is renewed", () => {
    const renewed = certificatesFingerprint({ ...memberCertificatePems(input.memberName), serverCertPem: certificatePem("renewed server") });
    const renewedLines = renderMemberCloudInit({ ...input, certificatesFingerprint: renewed }).split("\n");
    const changed = userData.split("\n").flatMap((line, index) => (line === renewedLines[index] ? [] : [[line, renewedLines[index]]]));
    assert.deepEqual(changed, [[`# certificates: ${input.certificatesFingerprint}`, `# certificates: ${renewed}`]]);
  });

  test("refuses a fingerprint that is not a sha256 digest, so nothing else reaches the comment", () => {
    assert.throws(
      () => renderMemberCloudInit({ ...input, certificatesFingerprint: "sha256:00\nruncmd: [reboot]" }),
      /certificatesFingerprint must be sha256:<64 hex digits>/,
    );
  });

  test("refuses a bundle digest that is not 64 hex digits", () => {
    assert.throws(() => renderMemberCloudInit({ ...input, bundleSha256: "abc" }), /bundleSha256 must be 64 hex digits/);
  });

  test("is sent as plain base64 of the cloud-config", () => {
    assert.equal(memberCloudConfig(encodeUserData("etcd-test-0", userData)), userData);
  });

  test("refuses user data above EC2's 16 KiB, naming the member", () => {
    const oversized = `${userData}#${"x".repeat(MAX_USER_DATA_BYTES)}\n`;
    assert.throws(() => encodeUserData("etcd-test-0", oversized), /user data of etcd-test-0 is \d+ bytes; EC2 accepts at most 16384/);
  });

  test("names the etcd release it installs, for the upgrade rules to read back", () => {
    assert.equal(etcdReleaseOfUserData(encodeUserData("etcd-test-0", userData)), input.etcd.version);
  });

  test("the release is read from gzip-compressed user data too, as instances launched by earlier versions carry it", () => {
    assert.equal(etcdReleaseOfUserData(Buffer.from(gzipSync(strToU8(userData), { mtime: 0 })).toString("base64")), input.etcd.version);
  });

  test("user data this program did not render names no release", () => {
    assert.equal(etcdReleaseOfUserData(Buffer.from("#!/bin/sh\n# etcd member x (etcd 3.5.1, amd64)\n").toString("base64")), undefined);
    assert.equal(etcdReleaseOfUserData(Buffer.from([0x1f, 0x8b, 0x08, 0x00]).toString("base64")), undefined);
    assert.equal(etcdReleaseOfUserData(""), undefined);
  });
});
