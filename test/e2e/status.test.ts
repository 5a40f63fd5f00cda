/**
 * `etcd-ops status` against the rendered dev stack booted as real etcd (3 members), run from the
 * hub namespace with the stack outputs file, the AWS CLI replaced by the S3 stub (StubS3, backup-support/member-scripts.ts)
 * holding what the installed backup script uploaded.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { repoPath } from "../../dev/local-cluster/etcd-binaries";
import type { LocalCluster } from "../../dev/local-cluster/local-cluster";
import { execInNamespace, type CommandResult } from "../../dev/local-cluster/namespace-exec";
import { renderedStack } from "../../dev/local-cluster/program-blueprint";
import { runBackupScript, StubS3 } from "./backup-support/member-scripts";
import { currentLeader } from "./support/leader";
import { sharedCluster } from "./support/shared-cluster";

describe("etcd-ops status on real etcd (3 members)", () => {
  let outputsJson = "";
  let bucket = "";
  const clusterOf = sharedCluster("st", async () => {
    const stack = await renderedStack({ members: 3 });
    outputsJson = stack.outputsJson;
    bucket = stack.backupBucket;
    return stack.blueprint;
  });
  let workDir: string;
  let outputsFile: string;
  let s3: StubS3;
  before(() => {
    workDir = mkdtempSync(join(tmpdir(), "etcd-e2e-st-"));
    outputsFile = join(workDir, "outputs.json");
    writeFileSync(outputsFile, outputsJson, { mode: 0o600 });
    s3 = new StubS3();
    s3.createBucket(bucket);
  });
  after(() => {
    s3.destroy();
    rmSync(workDir, { recursive: true, force: true });
  });

  const status = (cluster: LocalCluster, stub: StubS3): Promise<CommandResult> =>
    execInNamespace(
      cluster.network.hubNamespace,
      [process.execPath, "--import", "tsx", repoPath("ops/etcd-ops/main.ts"), "status", "--outputs", outputsFile],
      stub.environment(),
    );

  it("exits 1 while the bucket holds no snapshot, and says so", async () => {
    const result = await status(clusterOf(), s3);
    console.log(result.stdout);
    assert.equal(result.ok, false);
    assert.match(result.stdout, new RegExp(`^ {2}- last backup unknown: no snapshot under s3://${bucket}/etcd-dev/snapshots/$`, "m"));
    assert.match(result.stdout, /^3\/3 members healthy; quota /m);
  });

  it("shows every member, the snapshot the backup script uploaded and the served certificates, and exits 0", async () => {
    const cluster = clusterOf();
    const leader = await currentLeader(cluster);
    const backup = await runBackupScript(cluster.blueprint, leader, s3);
    assert.ok(backup.ok, backup.stderr);
    const uploaded = /^etcd-backup: OK (s3:\/\/\S+)/m.exec(backup.stdout)?.[1];
    const result = await status(cluster, s3);
    console.log(result.stdout);
    assert.ok(result.ok, `${result.stdout}${result.stderr}`);
    const rows = result.stdout.split("\n").slice(1, 4);
    for (const member of cluster.members) {
      const row = rows.find((line) => line.startsWith(`${member.clientUrl} `));
      assert.match(
        row ?? "",
        new RegExp(`^\\S+\\s+yes\\s+${member === leader ? "yes" : "no"}\\s+no\\s+\\d+\\s+[\\d.]+ [KM]iB\\s+[\\d.]+ %\\s+[\\d.]+ %$`),
        member.name,
      );
    }
    assert.match(result.stdout, new RegExp(`^last backup: ${uploaded?.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} at \\S+, \\d+s ago \\(limit 1h 0m\\)$`, "m"));
    for (const member of cluster.members) assert.match(result.stdout, new RegExp(`^ {2}${member.clientUrl} \\(served\\) {2}expires `, "m"));
    assert.match(result.stdout, /^ {2}ca {2}expires /m);
    assert.match(result.stdout, /^status: OK$/m);
  });

  it("exits 1 and names the member when one is down", async () => {
    const cluster = clusterOf();
    // A follower: killing the leader would leave the others mid-election, and then none is healthy.
    const leader = await currentLeader(cluster);
    const down = cluster.members.find((member) => member !== leader)!;
    await cluster.stop([down], "SIGKILL");
    const result = await status(cluster, s3);
    console.log(result.stdout);
    assert.equal(result.ok, false);
    assert.match(result.stdout, new RegExp(`^ {2}- ${down.clientUrl.replace(/\./g, "\\.")} is unhealthy: `, "m"));
    assert.match(result.stdout, /^2\/3 members healthy; /m);
  });
});
