/**
 * The backup script, rendered for a member whose data volume is a sandbox directory and run by bash:
 * etcdctl is a stand-in answering as a healthy leader or follower would and saving a snapshot-shaped
 * file, etcdutl reports its status, and the AWS CLI is the drills' stub over a directory standing for
 * S3. test/e2e/backup-restore.test.ts runs the same script against real etcd.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { backupScratchDir, renderBackupScript, snapshotKeyPrefix, type BackupScriptInput } from "../../../src/core/member/scripts/backup-script";
import { DEFAULT_HOST_PATHS, DEFAULT_VOLUME_MOUNT_POINTS } from "../../../src/core/member/ports-and-paths";
import { checkShellScript, checkShellScriptFile, toolAvailable } from "../../support/linters";
import { inSandbox, type ScriptSandbox } from "../../support/script-sandbox";
import { readonlyLiteral } from "./readonly-literal";

const REPO = join(__dirname, "../../..");
const INPUT: BackupScriptInput = {
  clusterName: "etcd-prod",
  memberName: "etcd-prod-2",
  bucketName: "etcd-prod-backups-1a2b3c4",
  paths: DEFAULT_HOST_PATHS,
  mounts: DEFAULT_VOLUME_MOUNT_POINTS,
  region: "eu-west-1",
  quotaBackendBytes: 8 * 1024 ** 3,
};
const script = renderBackupScript(INPUT);

const literal = (name: string) => readonlyLiteral(script, name);

/** An etcd snapshot's shape: whole 512-byte pages, then the SHA-256 of them (etcd's integrity hash). */
function snapshotBytes(pages: number): Buffer {
  const database = Buffer.alloc(512 * pages, 7);
  return Buffer.concat([database, createHash("sha256").update(database).digest()]);
}

interface MemberState {
  readonly healthy: boolean;
  readonly leader: boolean;
  /** What `snapshot save` writes. */
  readonly snapshot: Buffer;
}

/** etcdctl's stand-in: this member's health and status, and `snapshot save` copying `saved`. */
function etcdctl(state: MemberState, saved: string): string {
  return `case "$*" in
  *"endpoint health"*) ${state.healthy ? `echo "https://127.0.0.1:2379 is healthy: successfully committed proposal: took = 2ms"` : `echo "https://127.0.0.1:2379 is unhealthy: failed to commit proposal: context deadline exceeded" >&2; exit 1`} ;;
  *"endpoint status -w fields"*) printf '"MemberID" : 10276657743932975437\\n"Leader" : %s\\n"Version" : "3.5.30"\\n"DBSize" : 8224\\n' ${state.leader ? "10276657743932975437" : "9372538179322589801"} ;;
  *"snapshot save"*) cp '${saved}' "\${@: -1}" ;;
  *) exit 2 ;;
esac`;
}

/** Runs the backup script rendered for a member whose data volume is `data` in the sandbox. */
function backup(sandbox: ScriptSandbox, state: MemberState, quotaBackendBytes = INPUT.quotaBackendBytes) {
  const s3 = sandbox.directory("s3");
  const mounts = { data: sandbox.directory("data"), wal: sandbox.directory("wal") };
  const rendered = renderBackupScript({ ...INPUT, mounts, quotaBackendBytes });
  const saved = sandbox.file("saved.db", state.snapshot);
  return sandbox.run({
    script: sandbox.file("etcd-backup", rendered),
    steps: "",
    stubs: {
      etcdctl: etcdctl(state, saved),
      etcdutl: `echo '{"hash":3735928559,"revision":42,"totalKey":7,"totalSize":4096,"version":"3.5.0"}'`,
      aws: `exec bash '${REPO}/dev/member-host/aws-cli-stub.sh' "$@"`,
    },
    env: { AWS_STUB_S3_ROOT: s3 },
  });
}

/** Object keys in the stub S3's bucket, without the metadata files. */
function uploadedKeys(sandbox: ScriptSandbox): string[] {
  const dir = sandbox.path(`s3/${INPUT.bucketName}/etcd-prod/snapshots`);
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.endsWith(".metadata")) : [];
}

const leader: MemberState = { healthy: true, leader: true, snapshot: snapshotBytes(16) };

describe("backup script", () => {
  it("passes shellcheck as a file and as rendered", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    for (const report of [checkShellScriptFile(join(REPO, "src/core/member/scripts/backup.sh")), checkShellScript(script)]) {
      assert.ok(report.passed, report.output);
    }
  });

  it("checks and snapshots the local member on loopback with the member's own server certificate", () => {
    assert.equal(literal("ENDPOINT"), "'https://127.0.0.1:2379'");
    assert.equal(literal("CA_CERT"), "'/etc/etcd/pki/ca.crt'");
    assert.equal(literal("CLIENT_CERT"), "'/etc/etcd/pki/server.crt'");
    assert.equal(literal("CLIENT_KEY"), "'/etc/etcd/pki/server.key'");
  });

  it("writes the snapshot to the data volume, beside etcd's data-dir and not inside it", () => {
    assert.equal(backupScratchDir(DEFAULT_VOLUME_MOUNT_POINTS), "/var/lib/etcd/data/etcd-backup");
    assert.equal(literal("SCRATCH_DIR"), "'/var/lib/etcd/data/etcd-backup'");
    assert.equal(backupScratchDir(DEFAULT_VOLUME_MOUNT_POINTS).startsWith(`${DEFAULT_HOST_PATHS.dataDir}/`), false);
  });

  it("on the healthy leader, uploads the verified snapshot under <cluster>/snapshots/ with its metadata and records the success", () => {
    inSandbox((sandbox) => {
      const run = backup(sandbox, leader);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(snapshotKeyPrefix("etcd-prod"), "etcd-prod/snapshots/");
      const keys = uploadedKeys(sandbox);
      assert.equal(keys.length, 1);
      assert.match(keys[0] ?? "", /^\d{8}T\d{6}Z-rev42-etcd-prod-2\.db$/);
      const object = sandbox.path(`s3/${INPUT.bucketName}/etcd-prod/snapshots/${keys[0]}`);
      assert.deepEqual(readFileSync(object), leader.snapshot);
      const sha256 = createHash("sha256").update(leader.snapshot).digest("hex");
      assert.equal(readFileSync(`${object}.metadata`, "utf8"), `sha256=${sha256}\nrevision=42\netcd-version=3.5.30\n`);
      const prom = readFileSync(sandbox.path("data/etcd-metrics/backup.prom"), "utf8");
      assert.match(prom, /^etcd_backup_last_success_timestamp_seconds \d+$/m);
      assert.match(prom, new RegExp(`^etcd_backup_last_size_bytes ${leader.snapshot.length}$`, "m"));
      assert.match(prom, /^etcd_backup_last_revision 42$/m);
      assert.equal(readFileSync(sandbox.path("cloudwatch-metrics"), "utf8"), "etcd/etcd-prod BackupSucceeded 1 Count\n");
      assert.deepEqual(readdirSync(sandbox.path("data/etcd-backup")), [], "the scratch copy is removed");
      assert.match(run.stdout, /^etcd-backup: OK s3:\/\/etcd-prod-backups-1a2b3c4\/etcd-prod\/snapshots\/\S+ cluster etcd-prod revision 42 keys 7 bytes 8224 /m);
    });
  });

  it("skips on a follower, taking no snapshot", () => {
    inSandbox((sandbox) => {
      const run = backup(sandbox, { ...leader, leader: false });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /skipped: etcd-prod-2 is not the leader \(leader ID 9372538179322589801\)/);
      assert.deepEqual(
        run.calls.filter((call) => call.includes("snapshot save")),
        [],
      );
      assert.deepEqual(uploadedKeys(sandbox), []);
    });
  });

  it("fails on an unhealthy member with etcd's reason, taking no snapshot", () => {
    inSandbox((sandbox) => {
      const run = backup(sandbox, { ...leader, healthy: false });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /FAILED: member etcd-prod-2 is unhealthy, no snapshot taken: .*context deadline exceeded/);
      assert.deepEqual(
        run.calls.filter((call) => call.includes("snapshot save")),
        [],
      );
    });
  });

  it("uploads nothing when the saved snapshot fails its integrity check, and leaves no scratch file", () => {
    inSandbox((sandbox) => {
      const run = backup(sandbox, { ...leader, snapshot: snapshotBytes(16).subarray(0, 5000) });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /\(5000 bytes\) lacks etcd's integrity hash/);
      assert.deepEqual(uploadedKeys(sandbox), []);
      assert.deepEqual(readdirSync(sandbox.path("data/etcd-backup")), []);
    });
  });

  it("takes no snapshot when the data volume's free space is below the quota etcd may still grow to", () => {
    inSandbox((sandbox) => {
      // A quota of 1 PiB: more than any file system here has free.
      const run = backup(sandbox, leader, 2 ** 50);
      assert.equal(run.status, 1);
      assert.match(
        run.stderr,
        /FAILED: no snapshot taken on etcd-prod-2: \S+ has \d+ bytes free; the snapshot needs 8256 \(the database's size\) and etcd the room to grow to its quota \(1125899906842624\): 1125899906842624 bytes in all$/m,
      );
      assert.deepEqual(
        run.calls.filter((call) => call.includes("snapshot save")),
        [],
      );
      assert.deepEqual(readdirSync(sandbox.path("data/etcd-backup")), []);
    });
  });

  it("quotes the values it embeds, whatever they hold", () => {
    const hostile = renderBackupScript({ ...INPUT, clusterName: "it's $(reboot) `x`" });
    assert.equal(readonlyLiteral(hostile, "CLUSTER"), `'it'\\''s $(reboot) \`x\`'`);
  });
});
