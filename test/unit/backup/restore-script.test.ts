import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { renderEtcdConfig } from "../../../src/core/member/etcd-config";
import { DEFAULT_HOST_PATHS, DEFAULT_VOLUME_MOUNT_POINTS, ETCD_USER } from "../../../src/core/member/ports-and-paths";
import { RESTORE_REVISION_BUMP, renderRestoreScript, restoreMarkerPath, type RestoreScriptInput } from "../../../src/core/member/scripts/restore-script";
import { checkShellScript, toolAvailable } from "../../support/linters";
import { clusterOf, configInput } from "../etcd/fixtures";
import { readonlyLiteral } from "./readonly-literal";

const CLUSTER = clusterOf(3);
const INPUT: RestoreScriptInput = {
  snapshotUri: "s3://etcd-old-backups/etcd-old/snapshots/20260101T000000Z-rev42-etcd-old-0.db",
  member: CLUSTER[1],
  cluster: CLUSTER,
  clusterToken: configInput(CLUSTER, 1).clusterToken,
  paths: DEFAULT_HOST_PATHS,
  mounts: DEFAULT_VOLUME_MOUNT_POINTS,
  owner: ETCD_USER,
};
const script = renderRestoreScript(INPUT);

const literal = (name: string) => readonlyLiteral(script, name);

describe("renderRestoreScript", () => {
  it("passes shellcheck", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const report = checkShellScript(script);
    assert.ok(report.passed, report.output);
  });

  it("restores with the same name, peer URL, initial cluster, token and directories as the member's etcd config", () => {
    const config = parse(renderEtcdConfig(configInput(CLUSTER, 1))) as Record<string, string>;
    assert.equal(literal("MEMBER"), `'${config["name"]}'`);
    assert.equal(literal("PEER_URL"), `'${config["initial-advertise-peer-urls"]}'`);
    assert.equal(literal("INITIAL_CLUSTER"), `'${config["initial-cluster"]}'`);
    assert.equal(literal("CLUSTER_TOKEN"), `'${config["initial-cluster-token"]}'`);
    assert.equal(literal("DATA_DIR"), `'${config["data-dir"]}'`);
    assert.equal(literal("WAL_DIR"), `'${config["wal-dir"]}'`);
  });

  it("reads the snapshot's bucket and key from its URI for the metadata lookup", () => {
    assert.equal(literal("SNAPSHOT_BUCKET"), "'etcd-old-backups'");
    assert.equal(literal("SNAPSHOT_KEY"), "'etcd-old/snapshots/20260101T000000Z-rev42-etcd-old-0.db'");
  });

  it("bumps the revision by 10^9 and marks it compacted, so watchers never see revisions go back", () => {
    assert.equal(RESTORE_REVISION_BUMP, 1_000_000_000);
    assert.equal(literal("REVISION_BUMP"), "1000000000");
    assert.match(script, /--bump-revision "\$REVISION_BUMP" --mark-compacted/);
  });

  it("keeps its marker on the data volume, outside etcd's data-dir", () => {
    assert.equal(restoreMarkerPath(DEFAULT_VOLUME_MOUNT_POINTS), "/var/lib/etcd/data/etcd-restored-from");
    assert.equal(literal("MARKER"), "'/var/lib/etcd/data/etcd-restored-from'");
  });

  it("gives the restored directories to the etcd user", () => {
    assert.equal(literal("OWNER"), "'etcd'");
    assert.match(script, /chown -R "\$OWNER" "\$DATA_DIR" "\$WAL_DIR"/);
  });

  it("refuses to render a snapshot location that is not an S3 object URI", () => {
    assert.throws(() => renderRestoreScript({ ...INPUT, snapshotUri: "s3://etcd-old-backups/" }), /is not an S3 object URI/);
  });

  it("fits in instance user data beside everything else: under 6 KiB", () => {
    const bytes = Buffer.byteLength(script);
    console.log(`restore script: ${bytes} bytes`);
    assert.ok(bytes < 6 * 1024);
  });
});
