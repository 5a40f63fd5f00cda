/**
 * The restore script, rendered for a member whose volumes are sandbox directories and run by bash:
 * the AWS CLI is the drills' stub (dev/member-host/aws-cli-stub.sh over a directory standing for
 * S3) and etcdutl a stand-in that reports a status and lays out the directories a restore makes.
 * test/e2e/backup-restore.test.ts runs the same script with the real etcdutl on real snapshots.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { renderEtcdConfig } from "../../../src/core/member/etcd-config";
import { DEFAULT_HOST_PATHS, DEFAULT_VOLUME_MOUNT_POINTS, ETCD_USER } from "../../../src/core/member/ports-and-paths";
import { RESTORE_REVISION_BUMP, renderRestoreScript, restoreMarkerPath, type RestoreScriptInput } from "../../../src/core/member/scripts/restore-script";
import { checkShellScript, checkShellScriptFile, toolAvailable } from "../../support/linters";
import { inSandbox, type ScriptSandbox } from "../../support/script-sandbox";
import { clusterOf, configInput } from "../etcd/fixtures";
import { readonlyLiteral } from "./readonly-literal";

const REPO = join(__dirname, "../../..");
const CLUSTER = clusterOf(3);
const SNAPSHOT_URI = "s3://etcd-old-backups/etcd-old/snapshots/20260101T000000Z-rev42-etcd-old-0.db";
const PINNED_SHA256 = "5f2b1c0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b";
const INPUT: RestoreScriptInput = {
  snapshotUri: SNAPSHOT_URI,
  snapshotSha256: PINNED_SHA256,
  member: CLUSTER[1],
  cluster: CLUSTER,
  clusterToken: configInput(CLUSTER, 1).clusterToken,
  paths: DEFAULT_HOST_PATHS,
  mounts: DEFAULT_VOLUME_MOUNT_POINTS,
  owner: ETCD_USER,
};
const script = renderRestoreScript(INPUT);

const literal = (name: string) => readonlyLiteral(script, name);

/** An etcd snapshot's shape: whole 512-byte pages, then the SHA-256 of them (etcd's integrity hash). */
function snapshotBytes(pages = 8): Buffer {
  const database = Buffer.alloc(512 * pages, 7);
  return Buffer.concat([database, createHash("sha256").update(database).digest()]);
}

/**
 * etcdutl's stand-in: `snapshot status` reports revision 42, 7 keys; `snapshot restore` makes the
 * data-dir's member/snap and the wal-dir, as etcdutl does, each holding the file it restored from.
 */
const ETCDUTL = `case "$1 $2" in
  "snapshot status") echo '{"hash":3735928559,"revision":42,"totalKey":7,"totalSize":4096,"version":"3.5.0"}' ;;
  "snapshot restore")
    file=$3; shift 3
    while [ $# -gt 0 ]; do
      case $1 in --data-dir) data=$2; shift 2 ;; --wal-dir) wal=$2; shift 2 ;; *) shift ;; esac
    done
    mkdir -p "$data/member/snap" "$wal"
    cp "$file" "$data/member/snap/db"; touch "$wal/0000000000000000-0000000000000000.wal" ;;
  *) exit 2 ;;
esac`;

const sha256Of = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/**
 * Runs the restore script rendered for a member whose volumes are `data` and `wal` in the sandbox;
 * the config pins `pinnedSha256`, by default the digest of the snapshot's own bytes.
 */
function restore(sandbox: ScriptSandbox, snapshot?: { bytes: Buffer; pinnedSha256?: string }) {
  const s3 = sandbox.directory("s3");
  if (snapshot !== undefined) sandbox.file(`s3/${SNAPSHOT_URI.slice("s3://".length)}`, snapshot.bytes);
  const mounts = { data: sandbox.directory("data"), wal: sandbox.directory("wal") };
  const rendered = renderRestoreScript({
    ...INPUT,
    snapshotSha256: snapshot === undefined ? PINNED_SHA256 : (snapshot.pinnedSha256 ?? sha256Of(snapshot.bytes)),
    paths: { ...DEFAULT_HOST_PATHS, dataDir: join(mounts.data, "etcd"), walDir: join(mounts.wal, "etcd") },
    mounts,
    owner: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
  });
  return sandbox.run({
    script: sandbox.file("etcd-restore", rendered),
    steps: "",
    stubs: { aws: `exec bash '${REPO}/dev/member-host/aws-cli-stub.sh' "$@"`, etcdutl: ETCDUTL },
    env: { AWS_STUB_S3_ROOT: s3 },
  });
}

const listing = (sandbox: ScriptSandbox, dir: string) => (existsSync(sandbox.path(dir)) ? readdirSync(sandbox.path(dir)).sort() : []);

describe("restore script", () => {
  it("passes shellcheck as a file and as rendered", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    for (const report of [checkShellScriptFile(join(REPO, "src/core/member/scripts/restore.sh")), checkShellScript(script)]) {
      assert.ok(report.passed, report.output);
    }
  });

  it("restores with the same name, peer URL, initial cluster, token and directories as the member's etcd config", () => {
    const config = parse(renderEtcdConfig(configInput(CLUSTER, 1))) as Record<string, string>;
    assert.equal(literal("MEMBER"), `'${config["name"]}'`);
    assert.equal(literal("PEER_URL"), `'${config["initial-advertise-peer-urls"]}'`);
    assert.equal(literal("INITIAL_CLUSTER"), `'${config["initial-cluster"]}'`);
    assert.equal(literal("CLUSTER_TOKEN"), `'${config["initial-cluster-token"]}'`);
    assert.equal(literal("DATA_DIR"), `'${config["data-dir"]}'`);
    assert.equal(literal("WAL_DIR"), `'${config["wal-dir"]}'`);
    assert.equal(literal("SNAPSHOT_SHA256"), `'${PINNED_SHA256}'`);
    assert.equal(literal("MARKER"), `'${restoreMarkerPath(DEFAULT_VOLUME_MOUNT_POINTS)}'`);
  });

  it("restores the snapshot into empty volumes, revision bumped by 10^9 and compacted, and writes the marker", () => {
    inSandbox((sandbox) => {
      const bytes = snapshotBytes();
      const run = restore(sandbox, { bytes });
      assert.equal(run.status, 0, run.stderr);
      const [restoreCall] = run.calls.filter((call) => call.startsWith("etcdutl snapshot restore"));
      for (const flag of [
        "--name etcd-test-1",
        `--initial-cluster ${CLUSTER.map((m) => `${m.name}=https://${m.ip}:2380`).join(",")}`,
        "--initial-advertise-peer-urls https://10.0.1.10:2380",
        `--bump-revision ${RESTORE_REVISION_BUMP} --mark-compacted`,
      ]) {
        assert.ok(restoreCall?.includes(flag), `${flag} missing from: ${restoreCall}`);
      }
      assert.deepEqual(readFileSync(sandbox.path("data/etcd/member/snap/db")), bytes);
      assert.deepEqual(listing(sandbox, "wal/etcd"), ["0000000000000000-0000000000000000.wal"]);
      // Nothing of the staging directories is left beside them.
      assert.deepEqual([listing(sandbox, "data"), listing(sandbox, "wal")], [["etcd", "etcd-restored-from"], ["etcd"]]);
      assert.equal(readFileSync(sandbox.path("data/etcd-restored-from"), "utf8"), `${SNAPSHOT_URI}\n`);
      assert.match(
        run.stdout,
        /^etcd-restore: OK etcd-test-1 restored from s3:\/\/.*: revision 42 \(\+1000000000\), keys 7, hash 3735928559, sha256 [0-9a-f]{64}, in \d+s$/m,
      );
    });
  });

  it("does nothing when the marker names this snapshot: a replaced member never restores again", () => {
    inSandbox((sandbox) => {
      sandbox.file("data/etcd-restored-from", `${SNAPSHOT_URI}\n`);
      sandbox.file("data/etcd/member/snap/db", "the member's own data");
      const run = restore(sandbox);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /nothing to do: etcd-test-1 was restored from s3:\/\/etcd-old-backups\/.* on an earlier boot/);
      assert.deepEqual(run.calls, []);
    });
  });

  it("refuses volumes that hold data, downloading nothing and touching nothing", () => {
    for (const occupied of ["data/etcd/member/snap/db", "wal/etcd/0000000000000000-0000000000000000.wal"]) {
      inSandbox((sandbox) => {
        sandbox.file(occupied, "a member's data");
        const run = restore(sandbox, { bytes: snapshotBytes() });
        assert.equal(run.status, 1);
        assert.match(
          run.stderr,
          /^etcd-restore: FAILED: refusing to restore s3:\/\/.* on etcd-test-1: .* already holds data; a restore only starts a new cluster on empty volumes$/m,
        );
        assert.deepEqual(run.calls, []);
        assert.equal(readFileSync(sandbox.path(occupied), "utf8"), "a member's data");
      });
    }
  });

  it("refuses a truncated snapshot and an object whose bytes are not the pinned ones (overwritten since), leaving the volumes empty", () => {
    const bytes = snapshotBytes();
    const cases = [
      { snapshot: { bytes: bytes.subarray(0, 3000) }, error: /snapshot .* \(3000 bytes\) lacks etcd's integrity hash/ },
      {
        snapshot: { bytes, pinnedSha256: "0".repeat(64) },
        error: /has SHA-256 [0-9a-f]{64}, restore\.snapshotSha256 pins 0{64}: the object changed since it was pinned/,
      },
    ];
    for (const { snapshot, error } of cases) {
      inSandbox((sandbox) => {
        const run = restore(sandbox, snapshot);
        assert.equal(run.status, 1);
        assert.match(run.stderr, error);
        assert.deepEqual(
          run.calls.filter((call) => call.startsWith("etcdutl snapshot restore")),
          [],
        );
        assert.deepEqual([listing(sandbox, "data"), listing(sandbox, "wal")], [[], []]);
      });
    }
  });

  it("refuses to render a snapshot location that is not an S3 object URI", () => {
    assert.throws(() => renderRestoreScript({ ...INPUT, snapshotUri: "s3://etcd-old-backups/" }), /is not an S3 object URI/);
  });
});
