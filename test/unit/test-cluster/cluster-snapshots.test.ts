/**
 * The DLM snapshots a test cluster's destroy deletes: which ones, and the AWS CLI calls that list
 * and delete them, judged against a stand-in `aws` on PATH that answers describe-snapshots from a
 * file the way the CLI's JSON output looks and records every call.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { awsCliSnapshotStore, deleteClusterSnapshots, dlmSnapshotsOfCluster, type VolumeSnapshot } from "../../../dev/test-cluster/cluster-snapshots";

const DLM = { "aws:dlm:lifecycle-policy-id": "policy-0abc" };

describe("which snapshots a test cluster's destroy deletes", () => {
  it("those of the cluster that DLM made; not another cluster's, not one taken by hand", () => {
    const snapshots: VolumeSnapshot[] = [
      { id: "snap-1", tags: { "etcd:cluster": "etcd-test-a", ...DLM } },
      { id: "snap-2", tags: { "etcd:cluster": "etcd-test-a" } },
      { id: "snap-3", tags: { "etcd:cluster": "etcd-test-ab", ...DLM } },
      { id: "snap-4", tags: { ...DLM } },
    ];
    assert.deepEqual(
      dlmSnapshotsOfCluster(snapshots, "etcd-test-a").map((snapshot) => snapshot.id),
      ["snap-1"],
    );
  });
});

describe("snapshots through the AWS CLI", () => {
  let dir = "";
  let savedPath: string | undefined;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "etcd-aws-cli-"));
    writeFileSync(
      path.join(dir, "snapshots.json"),
      JSON.stringify([
        {
          SnapshotId: "snap-0aa",
          Tags: [
            { Key: "etcd:cluster", Value: "etcd-test-a" },
            { Key: "aws:dlm:lifecycle-policy-id", Value: "policy-1" },
          ],
        },
        { SnapshotId: "snap-0bb", Tags: [{ Key: "etcd:cluster", Value: "etcd-test-a" }] },
      ]),
    );
    writeFileSync(
      path.join(dir, "aws"),
      [
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        `printf '%s\\n' "$*" >> "${dir}/calls"`,
        'case "$1 $2" in',
        `  "ec2 describe-snapshots") cat "${dir}/snapshots.json" ;;`,
        '  "ec2 delete-snapshot") ;;',
        '  *) echo "aws stand-in: unsupported call: $*" >&2; exit 2 ;;',
        "esac",
        "",
      ].join("\n"),
    );
    chmodSync(path.join(dir, "aws"), 0o755);
    savedPath = process.env.PATH;
    process.env.PATH = `${dir}:${savedPath}`;
  });

  after(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists the account's own snapshots tagged with the cluster, in the stack's region, and deletes only DLM's", async () => {
    const deleted = await deleteClusterSnapshots(awsCliSnapshotStore("eu-west-1"), "etcd-test-a");
    assert.deepEqual(deleted, ["snap-0aa"]);
    assert.deepEqual(readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n"), [
      "ec2 describe-snapshots --owner-ids self --filters Name=tag:etcd:cluster,Values=etcd-test-a " +
        "--query Snapshots[].{SnapshotId: SnapshotId, Tags: Tags} --region eu-west-1 --output json",
      "ec2 delete-snapshot --snapshot-id snap-0aa --region eu-west-1 --output json",
    ]);
  });
});
