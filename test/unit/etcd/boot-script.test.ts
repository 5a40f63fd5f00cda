import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { renderBootScript } from "../../../src/core/member/scripts/boot-script";
import { JOIN_CLUSTER_SCRIPT_PATH, RESTORE_SCRIPT_PATH } from "../../../src/core/member/ports-and-paths";
import { checkShellScript, toolAvailable } from "../../support/linters";
import { clusterOf, memberFilesInput } from "./fixtures";

const input = memberFilesInput(clusterOf(3), 1);
const script = renderBootScript({ ...input, restoresSnapshot: false });
const lines = script.split("\n");
const restoring = renderBootScript({ ...input, restoresSnapshot: true });

/** Index of the first line matching `pattern` (in `within`'s lines); fails the test when there is none. */
function lineOf(pattern: RegExp, within: readonly string[] = lines): number {
  const index = within.findIndex((line) => pattern.test(line));
  assert.notEqual(index, -1, `no line matches ${pattern}`);
  return index;
}

describe("member boot script", () => {
  test("passes shellcheck", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const report = checkShellScript(script);
    assert.ok(report.passed, report.output);
  });

  test("stops at the first failing command and never traces commands", () => {
    assert.equal(lines[0], "#!/bin/bash");
    assert.ok(lineOf(/^set -euo pipefail$/) < 5);
    assert.doesNotMatch(script, /set -[a-z]*x|xtrace/);
  });

  test("looks for each volume by its EBS volume ID, as NVMe serial, with a bounded wait", () => {
    assert.match(script, /readonly data_volume_id='vol-0a1b2c3d4e5f60701'/);
    assert.match(script, /readonly wal_volume_id='vol-0f1e2d3c4b5a69701'/);
    assert.match(script, /local serial=\$\{1\/\/-\/\} deadline=\$\(\(SECONDS \+ volume_wait_seconds\)\)/);
    assert.match(script, /"\/dev\/disk\/by-id\/nvme-Amazon_Elastic_Block_Store_\$serial"/);
    assert.match(script, /lsblk --nodeps --noheadings --output NAME,SERIAL/);
    assert.match(script, /readonly volume_wait_seconds=\$\{ETCD_BOOT_VOLUME_WAIT_SECONDS:-300\} /);
  });

  test("creates a filesystem only on a device where blkid found no signature at all", () => {
    const mkfsLines = lines.filter((line) => /^\s*mkfs/.test(line));
    assert.deepEqual(mkfsLines.map((line) => line.trim()), ['mkfs.xfs -L "$label" "$device" ;;']);
    const probe = lineOf(/blkid -p "\$device" >\/dev\/null \|\| probe=\$\?/);
    const blankCase = lineOf(/^\s+2\) log .* is blank: creating XFS filesystem/);
    const mkfs = lineOf(/^\s*mkfs\.xfs/);
    assert.ok(probe < blankCase && blankCase + 1 === mkfs, "mkfs runs only in the `blkid exit 2` branch");
    assert.doesNotMatch(script, /mkfs\S* .*(-f|--force)\b/);
  });

  test("mounts each volume by UUID with noatime through /etc/fstab", () => {
    assert.match(script, /echo "UUID=\$uuid \$mount_point \$fs_type defaults,noatime,nofail 0 0" >>\/etc\/fstab/);
    assert.match(script, /prepare_volume "\$data_volume_id" 'etcd-data' "\$data_mount"/);
    assert.match(script, /prepare_volume "\$wal_volume_id" 'etcd-wal' "\$wal_mount"/);
  });

  test("verifies the pinned checksum before unpacking or installing anything from the tarball", () => {
    assert.match(script, new RegExp(`etcd_sha256='${input.etcd.sha256}'`));
    const check = lineOf(/sha256sum --check --strict/);
    assert.ok(check < lineOf(/tar -xzf/));
    assert.ok(check < lineOf(/install -m 0755 .*etcdctl.*etcdutl/));
  });

  test("downloads from an s3:// mirror with the instance role", () => {
    const mirrored = renderBootScript({ ...memberFilesInput(clusterOf(3), 0, { mirror: "s3://etcd-mirror/etcd" }), restoresSnapshot: false });
    assert.match(mirrored, /etcd_url='s3:\/\/etcd-mirror\/etcd\/v3\.6\.14\/etcd-v3\.6\.14-linux-amd64\.tar\.gz'/);
    assert.match(mirrored, /s3:\/\/\*\) retry 5 aws s3 cp --only-show-errors "\$etcd_url" "\$tarball"/);
  });

  test("fetches the CA and the member's own certificates and keys from SSM, keys readable by etcd only", () => {
    const fetches = lines.filter((line) => line.startsWith("  fetch_parameter '")).map((line) => line.trim());
    assert.deepEqual(fetches, [
      "fetch_parameter '/etcd/etcd-test/ca.crt' '/etc/etcd/pki/ca.crt' 0644",
      "fetch_parameter '/etcd/etcd-test/members/etcd-test-1/server.crt' '/etc/etcd/pki/server.crt' 0644",
      "fetch_parameter '/etcd/etcd-test/members/etcd-test-1/server.key' '/etc/etcd/pki/server.key' 0600",
      "fetch_parameter '/etcd/etcd-test/members/etcd-test-1/peer.crt' '/etc/etcd/pki/peer.crt' 0644",
      "fetch_parameter '/etcd/etcd-test/members/etcd-test-1/peer.key' '/etc/etcd/pki/peer.key' 0600",
    ]);
    assert.match(script, /aws ssm get-parameter --name "\$name" --with-decryption --query Parameter.Value --output text >"\$partial"/);
    assert.match(script, /chown "\$etcd_user:\$etcd_user" "\$partial"/);
  });

  test("marks the boot complete only as its last step, after the member reported healthy", () => {
    const order = [
      lineOf(/^\s+rm -f '\/var\/lib\/etcd\/boot-complete'$/),
      lineOf(/^\s+prepare_volume "\$data_volume_id"/),
      lineOf(/^\s+wait_until_healthy$/),
      lineOf(/^\s+touch '\/var\/lib\/etcd\/boot-complete'$/),
    ];
    assert.deepEqual([...order].sort((a, b) => a - b), order);
  });

  test("starts etcd only after volumes, binary and secrets are in place, then waits for health", () => {
    const order = [
      lineOf(/^\s+prepare_volume "\$wal_volume_id"/),
      lineOf(/^\s+install_etcd$/),
      lineOf(/^\s+fetch_secrets$/),
      lineOf(/^\s+systemctl start --no-block "\$unit"$/),
      lineOf(/^\s+wait_until_healthy$/),
    ];
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    assert.match(script, /readonly unit='etcd.service' backup_timer='etcd-backup.timer' defrag_timer='etcd-defrag.timer' health_url='http:\/\/127\.0\.0\.1:2381\/health'/);
    assert.match(script, /health_wait_seconds=600/);
  });

  test("enables and starts the backup and defrag timers once etcd is started, before waiting for health", () => {
    const timer = lineOf(/^\s+systemctl enable --now "\$backup_timer" "\$defrag_timer"$/);
    assert.ok(lineOf(/^\s+systemctl start --no-block "\$unit"$/) < timer);
    assert.ok(timer < lineOf(/^\s+wait_until_healthy$/));
  });

  test("runs no restore step when the cluster does not start from a snapshot", () => {
    assert.ok(!script.includes(RESTORE_SCRIPT_PATH), "the restore script is named");
  });

  test("runs the restore script after the mounts and the etcd install and before etcd starts", () => {
    const restoringLines = restoring.split("\n");
    const restore = lineOf(new RegExp(`^\\s+'${RESTORE_SCRIPT_PATH}'$`), restoringLines);
    assert.ok(lineOf(/^\s+prepare_volume "\$wal_volume_id"/, restoringLines) < restore);
    assert.ok(lineOf(/^\s+install_etcd$/, restoringLines) < restore);
    assert.ok(restore < lineOf(/^\s+systemctl start --no-block "\$unit"$/, restoringLines));
  });

  test("runs the join step after the restore step and the secrets, before etcd starts", () => {
    const restoringLines = restoring.split("\n");
    const join = lineOf(/^\s+join_cluster_if_new$/, restoringLines);
    assert.ok(lineOf(new RegExp(`^\\s+'${RESTORE_SCRIPT_PATH}'$`), restoringLines) < join);
    assert.ok(lineOf(/^\s+fetch_secrets$/, restoringLines) < join);
    assert.ok(join < lineOf(/^\s+systemctl start --no-block "\$unit"$/, restoringLines));
    assert.ok(script.includes(`readonly join_cluster='${JOIN_CLUSTER_SCRIPT_PATH}'`));
  });

  test("promotes the member after etcd starts and before waiting for health", () => {
    const promote = lineOf(/^\s+promote_if_joined$/);
    assert.ok(lineOf(/^\s+systemctl start --no-block "\$unit"$/) < promote);
    assert.ok(promote < lineOf(/^\s+wait_until_healthy$/));
  });

  /**
   * Runs the script's join_cluster_if_new and promote_if_joined, as main does, with a WAL dir
   * holding `walFiles` and a stand-in join step; returns the join step's arguments, in parentheses, one call each.
   */
  function joinStepCalls(walFiles: readonly string[]): string[] {
    const dir = mkdtempSync(join(tmpdir(), "boot-join-"));
    try {
      const walDir = join(dir, "wal");
      spawnSync("mkdir", [walDir]);
      for (const file of walFiles) writeFileSync(join(walDir, file), "");
      const calls = join(dir, "calls");
      const stub = join(dir, "join-stub");
      writeFileSync(stub, `#!/bin/sh\necho "($*)" >> ${calls}\n`, { mode: 0o755 });
      const functions = ["join_cluster_if_new", "promote_if_joined"].map((name) => {
        const fn = new RegExp(`^${name}\\(\\) \\{\\n[\\s\\S]*?^\\}$`, "m").exec(script)?.[0];
        assert.ok(fn !== undefined, `no ${name} function`);
        return fn;
      });
      const steps = "joined=false\njoin_cluster_if_new\npromote_if_joined";
      const run = spawnSync("bash", ["-c", `log() { :; }\nwal_dir=${walDir} join_cluster=${stub} member_name=m\n${functions.join("\n")}\n${steps}`]);
      assert.equal(run.status, 0, String(run.stderr));
      return existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test("runs the join step, then after etcd starts its promotion, only while the WAL directory is empty", () => {
    assert.deepEqual(joinStepCalls([]), ["()", "(--promote)"]);
    assert.deepEqual(joinStepCalls(["0000000000000000-0000000000000000.wal"]), []);
  });
});
