import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { BACKUP_SCRIPT_PATH } from "../../../components/etcd/backup-units";
import { BOOT_SCRIPT_PATH, renderBootScript } from "../../../components/etcd/boot-script";
import { gunzipSync } from "node:zlib";
import { certificatesFingerprint } from "../../../components/etcd/certificates-fingerprint";
import { DEFRAG_SCRIPT_PATH } from "../../../components/etcd/defrag-units";
import { MEMBER_METRICS_SCRIPT_PATH } from "../../../components/etcd/member-metrics";
import { MAX_USER_DATA_BYTES, etcdReleaseOfUserData, packUserData, renderMemberCloudInit } from "../../../components/etcd/cloud-init";
import { REPLACE_MEMBER_SCRIPT_PATH, replaceMemberScript } from "../../../components/etcd/replace-member-script";
import { JOIN_CLUSTER_SCRIPT_PATH, joinClusterScript } from "../../../components/etcd/join-script";
import { RESTORE_SCRIPT_PATH } from "../../../components/etcd/restore-script";
import { cloudInitFiles } from "../../../tools/offline/cloud-init-files";
import { checkCloudConfig, checkShellScript, toolAvailable } from "../../support/linters";
import { bootInput, certificatePem, clusterOf, memberCertificatePems } from "./fixtures";

interface CloudConfig {
  readonly packages?: string[];
  readonly runcmd: string[][];
}

const SNAPSHOT_URI = "s3://etcd-prod-backups-1a2b3c4/etcd-prod/snapshots/20250101T000000Z-rev42-etcd-prod-0.db";
const input = bootInput(clusterOf(3), 0);
const userData = renderMemberCloudInit(input);
const cloudConfig = parse(userData) as CloudConfig;
const files = cloudInitFiles(userData);
const fileAt = (path: string) => files.find((file) => file.path === path);
const restoringInput = bootInput(clusterOf(3), 0, { restoreSnapshotUri: SNAPSHOT_URI });
const restoringFiles = cloudInitFiles(renderMemberCloudInit(restoringInput));
const SCRIPT_PATHS = [
  BACKUP_SCRIPT_PATH,
  DEFRAG_SCRIPT_PATH,
  MEMBER_METRICS_SCRIPT_PATH,
  REPLACE_MEMBER_SCRIPT_PATH,
  JOIN_CLUSTER_SCRIPT_PATH,
  BOOT_SCRIPT_PATH,
];

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

  test("every executable it writes is a bash script that passes shellcheck", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const scripts = restoringFiles.filter((file) => file.permissions === "0755");
    assert.deepEqual(scripts.map((script) => script.path).sort(), [...SCRIPT_PATHS, RESTORE_SCRIPT_PATH].sort());
    for (const script of scripts) {
      assert.match(script.content, /^#!(\/bin\/bash|\/usr\/bin\/env bash)\n/, script.path);
      const report = checkShellScript(script.content);
      assert.ok(report.passed, `${script.path}: ${report.output}`);
    }
  });

  test("writes the etcd config, the units and the scripts exactly as rendered, scripts executable", () => {
    assert.deepEqual(
      files.map((file) => [file.path, file.permissions, file.content]),
      [
        ["/etc/etcd/etcd.conf.yml", "0644", input.etcdConfigYaml],
        ["/etc/systemd/system/etcd.service", "0644", input.unit],
        ["/etc/systemd/system/etcd-backup.service", "0644", input.backupUnits.service],
        ["/etc/systemd/system/etcd-backup.timer", "0644", input.backupUnits.timer],
        [BACKUP_SCRIPT_PATH, "0755", input.backupScript],
        ["/etc/systemd/system/etcd-defrag.service", "0644", input.defragUnits.service],
        ["/etc/systemd/system/etcd-defrag.timer", "0644", input.defragUnits.timer],
        [DEFRAG_SCRIPT_PATH, "0755", input.defragScript],
        ["/etc/systemd/system/etcd-member-metrics.socket", "0644", input.memberMetricsUnits.socket],
        ["/etc/systemd/system/etcd-member-metrics@.service", "0644", input.memberMetricsUnits.serviceTemplate],
        ["/etc/systemd/system/etcd-certificate-metrics.service", "0644", input.memberMetricsUnits.publication.service],
        ["/etc/systemd/system/etcd-certificate-metrics.timer", "0644", input.memberMetricsUnits.publication.timer],
        [MEMBER_METRICS_SCRIPT_PATH, "0755", input.memberMetricsScript],
        [REPLACE_MEMBER_SCRIPT_PATH, "0755", replaceMemberScript()],
        [JOIN_CLUSTER_SCRIPT_PATH, "0755", joinClusterScript()],
        [BOOT_SCRIPT_PATH, "0755", renderBootScript({ ...input, restoresSnapshot: false })],
      ],
    );
  });

  test("installs no restore script unless the cluster starts from a snapshot", () => {
    assert.equal(fileAt(RESTORE_SCRIPT_PATH), undefined);
  });

  test("installs the restore script, and the boot script that runs it, when the cluster starts from a snapshot", () => {
    const restore = restoringFiles.find((file) => file.path === RESTORE_SCRIPT_PATH);
    assert.equal(restore?.content, restoringInput.restoreScript);
    assert.equal(restore?.permissions, "0755");
    const boot = restoringFiles.find((file) => file.path === BOOT_SCRIPT_PATH);
    assert.equal(boot?.content, renderBootScript({ ...restoringInput, restoresSnapshot: true }));
  });

  test("packs the cloud-config as gzip that unpacks to it byte for byte", () => {
    assert.equal(gunzipSync(Buffer.from(packUserData("etcd-test-0", userData), "base64")).toString("utf8"), userData);
  });

  test("the packed user data names the etcd release it installs, for the upgrade rules to read back", () => {
    assert.equal(etcdReleaseOfUserData(packUserData("etcd-test-0", userData)), input.etcd.version);
  });

  test("user data this program did not render names no release", () => {
    assert.equal(etcdReleaseOfUserData(Buffer.from("#!/bin/sh\n# etcd member x (etcd 3.5.1, amd64)\n").toString("base64")), undefined);
    assert.equal(etcdReleaseOfUserData(""), undefined);
  });

  test("packs to the same bytes every time, with no time in the gzip header (the user data is the instance's identity)", () => {
    const packed = Buffer.from(packUserData("etcd-test-0", userData), "base64");
    assert.equal(packed.readUInt32LE(4), 0, "gzip MTIME");
    assert.equal(packUserData("etcd-test-0", renderMemberCloudInit(bootInput(clusterOf(3), 0))), packed.toString("base64"));
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

  test("stays below EC2's 16 KiB limit for a 7-member cluster with long names, a mirror and a restore", () => {
    const cluster = clusterOf(7, "etcd-production-payments-eu-central");
    for (let index = 0; index < cluster.length; index++) {
      const member = bootInput(cluster, index, {
        osImage: "debian13",
        mirror: "s3://etcd-release-mirror-123456789012-eu-central-1/etcd",
        restoreSnapshotUri: `s3://etcd-production-payments-eu-central-backups-1a2b3c4/${"a".repeat(120)}.db`,
      });
      const bytes = Buffer.from(packUserData(member.memberName, renderMemberCloudInit(member)), "base64").byteLength;
      assert.ok(bytes < MAX_USER_DATA_BYTES, `${member.memberName}: ${bytes} bytes`);
    }
  });

  test("refuses to pack user data that stays above the limit compressed", () => {
    // Hex digests of a counter barely compress: 16 KiB of them stay above the limit.
    const incompressible = Array.from({ length: 600 }, (_, index) => createHash("sha256").update(String(index)).digest("hex")).join("\n");
    assert.throws(() => packUserData("etcd-test-0", `${userData}# ${incompressible}\n`), /user data of etcd-test-0 is \d+ bytes compressed; EC2 accepts at most 16384/);
  });
});
