import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  BACKUP_SCRIPT_PATH,
  BOOT_SCRIPT_PATH,
  DEFRAG_SCRIPT_PATH,
  FINISH_BOOT_SCRIPT_PATH,
  JOIN_CLUSTER_SCRIPT_PATH,
  MEMBER_METRICS_SCRIPT_PATH,
  REPLACE_MEMBER_SCRIPT_PATH,
  RESTORE_SCRIPT_PATH,
} from "../../../src/core/member/ports-and-paths";
import { renderBootScript } from "../../../src/core/member/scripts/boot-script";
import { joinClusterScript } from "../../../src/core/member/scripts/join-script";
import { renderFinishBootScript } from "../../../src/core/member/scripts/finish-boot-script";
import { renderMemberFiles } from "../../../src/core/member/member-files";
import { replaceMemberScript } from "../../../src/core/member/scripts/replace-member-script";
import { checkShellScript, toolAvailable } from "../../support/linters";
import { clusterOf, memberFilesInput } from "./fixtures";

const SNAPSHOT_URI = "s3://etcd-prod-backups-1a2b3c4/etcd-prod/snapshots/20250101T000000Z-rev42-etcd-prod-0.db";
const input = memberFilesInput(clusterOf(3), 0);
const files = renderMemberFiles(input);
const restoringInput = memberFilesInput(clusterOf(3), 0, { restoreSnapshotUri: SNAPSHOT_URI });
const restoringFiles = renderMemberFiles(restoringInput);
const SCRIPT_PATHS = [
  BACKUP_SCRIPT_PATH,
  DEFRAG_SCRIPT_PATH,
  MEMBER_METRICS_SCRIPT_PATH,
  REPLACE_MEMBER_SCRIPT_PATH,
  JOIN_CLUSTER_SCRIPT_PATH,
  FINISH_BOOT_SCRIPT_PATH,
  BOOT_SCRIPT_PATH,
];

describe("a member's files (its bundle's content)", () => {
  test("are the etcd config, the units and the scripts exactly as rendered, scripts executable", () => {
    assert.deepEqual(
      files.map((file) => [file.path, file.mode, file.content]),
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
        [FINISH_BOOT_SCRIPT_PATH, "0755", renderFinishBootScript()],
        [BOOT_SCRIPT_PATH, "0755", renderBootScript({ ...input, restoresSnapshot: false })],
      ],
    );
  });

  test("every executable is a bash script that passes shellcheck", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const scripts = restoringFiles.filter((file) => file.mode === "0755");
    assert.deepEqual(scripts.map((script) => script.path).sort(), [...SCRIPT_PATHS, RESTORE_SCRIPT_PATH].sort());
    for (const script of scripts) {
      assert.match(script.content, /^#!(\/bin\/bash|\/usr\/bin\/env bash)\n/, script.path);
      const report = checkShellScript(script.content);
      assert.ok(report.passed, `${script.path}: ${report.output}`);
    }
  });

  test("include no restore script unless the cluster starts from a snapshot", () => {
    assert.equal(
      files.find((file) => file.path === RESTORE_SCRIPT_PATH),
      undefined,
    );
  });

  test("include the restore script, and the boot script that runs it, when the cluster starts from a snapshot", () => {
    const restore = restoringFiles.find((file) => file.path === RESTORE_SCRIPT_PATH);
    assert.equal(restore?.content, restoringInput.restoreScript);
    assert.equal(restore?.mode, "0755");
    const boot = restoringFiles.find((file) => file.path === BOOT_SCRIPT_PATH);
    assert.equal(boot?.content, renderBootScript({ ...restoringInput, restoresSnapshot: true }));
  });

  test("hold no certificate or private key", () => {
    for (const file of restoringFiles) assert.doesNotMatch(file.content, /-----BEGIN|PRIVATE KEY/, file.path);
  });
});
