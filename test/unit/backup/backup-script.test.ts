import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backupScratchDir, renderBackupScript, snapshotKeyPrefix, type BackupScriptInput } from "../../../src/core/member/scripts/backup-script";
import { DEFAULT_HOST_PATHS, DEFAULT_VOLUME_MOUNT_POINTS } from "../../../src/core/member/ports-and-paths";
import { checkShellScript, toolAvailable } from "../../support/linters";
import { readonlyLiteral } from "./readonly-literal";

const INPUT: BackupScriptInput = {
  clusterName: "etcd-prod",
  memberName: "etcd-prod-2",
  bucketName: "etcd-prod-backups-1a2b3c4",
  paths: DEFAULT_HOST_PATHS,
  mounts: DEFAULT_VOLUME_MOUNT_POINTS,
  region: "eu-west-1",
};
const script = renderBackupScript(INPUT);

const literal = (name: string) => readonlyLiteral(script, name);

describe("renderBackupScript", () => {
  it("passes shellcheck", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const report = checkShellScript(script);
    assert.ok(report.passed, report.output);
  });

  it("checks and snapshots the local member on loopback with the member's own server certificate", () => {
    assert.equal(literal("ENDPOINT"), "'https://127.0.0.1:2379'");
    assert.equal(literal("CA_CERT"), "'/etc/etcd/pki/ca.crt'");
    assert.equal(literal("CLIENT_CERT"), "'/etc/etcd/pki/server.crt'");
    assert.equal(literal("CLIENT_KEY"), "'/etc/etcd/pki/server.key'");
  });

  it("uploads under <cluster>/snapshots/ in the cluster's bucket", () => {
    assert.equal(snapshotKeyPrefix("etcd-prod"), "etcd-prod/snapshots/");
    assert.equal(literal("KEY_PREFIX"), "'etcd-prod/snapshots/'");
    assert.equal(literal("BUCKET"), "'etcd-prod-backups-1a2b3c4'");
    assert.match(script, /key="\$KEY_PREFIX\$\(date -u \+%Y%m%dT%H%M%SZ\)-rev\$SNAPSHOT_REVISION-\$MEMBER\.db"/);
    assert.match(script, /--metadata "sha256=\$sha256,revision=\$SNAPSHOT_REVISION,etcd-version=\$etcd_version"/);
  });

  it("writes the snapshot to the data volume, beside etcd's data-dir and not inside it", () => {
    assert.equal(backupScratchDir(DEFAULT_VOLUME_MOUNT_POINTS), "/var/lib/etcd/data/etcd-backup");
    assert.equal(literal("SCRATCH_DIR"), "'/var/lib/etcd/data/etcd-backup'");
    assert.equal(backupScratchDir(DEFAULT_VOLUME_MOUNT_POINTS).startsWith(`${DEFAULT_HOST_PATHS.dataDir}/`), false);
  });

  it("checks health before the leader, and the leader before taking a snapshot", () => {
    const order = ["endpoint health", "endpoint status -w fields", "snapshot save", "verify_snapshot \"$snapshot\"", "aws s3 cp"]
      .map((step) => script.indexOf(`${step}`, script.indexOf("started=$(date +%s)")));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    assert.ok(!order.includes(-1));
  });

  it("quotes the values it embeds, whatever they hold", () => {
    const hostile = renderBackupScript({ ...INPUT, clusterName: "it's $(reboot) `x`" });
    assert.equal(readonlyLiteral(hostile, "CLUSTER"), `'it'\\''s $(reboot) \`x\`'`);
  });

  it("fits in instance user data beside everything else: under 6 KiB", () => {
    const bytes = Buffer.byteLength(script);
    console.log(`backup script: ${bytes} bytes`);
    assert.ok(bytes < 6 * 1024);
  });
});
