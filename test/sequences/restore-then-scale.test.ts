/**
 * Stories (issue 13, item 3) of a stack restored from a snapshot, `restore.snapshotUri` left set as
 * the README advises: a scale-up 3 → 5, whose new members must join the restored cluster, and a
 * member whose volumes are lost and created blank, which must come back into the same cluster.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { backupBucketOf } from "../../dev/sequence-drill/sequence-drill";
import { BACKUP_TIMER_NAME } from "../../src/core/member/backup-units";
import { DEFRAG_TIMER_NAME } from "../../src/core/member/defrag-units";
import { CERTIFICATE_METRICS_TIMER_NAME, MEMBER_METRICS_SOCKET_NAME } from "../../src/core/member/member-metrics-units";
import { failedBootCommand } from "./support/failed-boot";
import { playStory } from "./support/story";
import { seedSnapshot } from "./support/seed-snapshot";

/** The member's own periodic jobs and metrics, which its boot enables once etcd runs. */
const MEMBER_JOBS = [BACKUP_TIMER_NAME, DEFRAG_TIMER_NAME, MEMBER_METRICS_SOCKET_NAME, CERTIFICATE_METRICS_TIMER_NAME];

describe("a restored stack", () => {
  let dir: string;
  let restore: { snapshotUri: string; snapshotSha256: string };
  let objects: Record<string, string>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "etcd-e2e-seed-"));
    const snapshotUri = `s3://${await backupBucketOf({ members: 3 })}/etcd-dev/snapshots/seed.db`;
    const snapshotFile = await seedSnapshot(dir);
    restore = { snapshotUri, snapshotSha256: createHash("sha256").update(readFileSync(snapshotFile)).digest("hex") };
    objects = { [snapshotUri]: snapshotFile };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("restore, then scale 3 → 5: the new members join the restored cluster", async () => {
    await playStory(
      "rscale",
      { members: 3, restore },
      async ({ drill, finish }) => {
        const grown = await drill.up({ members: 5, restore }, "scale 3 → 5, restore.snapshotUri still set");
        assert.equal(grown.ok, true, grown.failure);
        await finish();
      },
      { s3Objects: objects },
    );
  });

  it("a member's volumes recreated: its boot refuses, the operator replaces it as the refusal says, and it comes back whole", async () => {
    await playStory(
      "rvol",
      { members: 3, restore },
      async ({ drill, finish }) => {
        drill.loseVolume("etcd-dev-1", "data");
        drill.loseVolume("etcd-dev-1", "wal");
        const recreated = await drill.up({ members: 3, restore }, "the same config: etcd-dev-1's volumes are created blank");
        assert.equal(recreated.ok, false, "a member whose data is lost must not come back on its own");
        assert.match(recreated.failure ?? "", /^etcd-dev-member-1-health-gate:/);
        // The boot failed for good: the gate stops at its first check, the up's failure text carries the refusal.
        const command = failedBootCommand(recreated, "etcd-dev-1");
        assert.match(recreated.failureOutput ?? "", /the cluster already has a member at \S+ that has started, but \S+ is empty: etcd-dev-1 lost its data/);
        // The refused boot stopped before the member's timers and its completion marker.
        assert.deepEqual(
          drill.hostState("etcd-dev-1").enabledUnits.filter((unit) => MEMBER_JOBS.includes(unit)),
          [],
        );
        assert.equal(drill.hostState("etcd-dev-1").bootCompleted, false);

        // The operator runs on etcd-dev-1's instance exactly the command the up's failure names, then up again.
        const replaced = await drill.onHost("etcd-dev-1", command, "as the refusal says");
        assert.equal(replaced.ok, true, replaced.output);
        const again = await drill.up({ members: 3, restore }, "pulumi up again, as the refusal says");
        assert.equal(again.ok, true, again.failure);

        const host = drill.hostState("etcd-dev-1");
        assert.deepEqual(
          MEMBER_JOBS.filter((unit) => !host.enabledUnits.includes(unit)),
          [],
          "etcd-dev-1's backup, defrag and metrics units are enabled",
        );
        assert.deepEqual([...host.enabledUnits].sort(), [...drill.hostState("etcd-dev-0").enabledUnits].sort(), "etcd-dev-1 enabled what etcd-dev-0's boot enabled");
        assert.equal(host.bootCompleted, true);
        await finish();
      },
      { s3Objects: objects },
    );
  });
});
