import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MemberHealth, MemberStatus } from "../../../ops/etcd-ops/member-health";
import { formatDuration, statusReport, type StatusInput } from "../../../ops/etcd-ops/status-report";

const MiB = 1024 * 1024;
const NOW = new Date("2026-12-03T12:00:00Z");
const DAY_MS = 86400_000;

function member(index: number, status: Partial<MemberStatus> = {}, health: Partial<MemberHealth> = {}): MemberHealth {
  return {
    endpoint: `https://10.0.${index + 1}.10:2379`,
    healthy: true,
    tookMs: 4,
    status: {
      memberId: `a${index}`,
      isLeader: index === 0,
      revision: "900",
      dbSizeBytes: 20 * MiB,
      dbSizeInUseBytes: 18 * MiB,
      raftTerm: "3",
      raftIndex: "1042",
      isLearner: false,
      version: "3.5.30",
      ...status,
    },
    ...health,
  };
}

const WELL: StatusInput = {
  members: [member(0), member(1), member(2)],
  limits: { quotaBackendBytes: 8192 * MiB, backupIntervalSeconds: 1800, certificateRenewalHours: 720 },
  lastBackup: { uri: "s3://etcd-prod-backups/etcd-prod/snapshots/20261203T113000Z-rev900-etcd-prod-0.db", time: new Date(NOW.getTime() - 25 * 60_000) },
  certificates: [
    { name: "ca", notAfter: new Date(NOW.getTime() + 3000 * DAY_MS) },
    { name: "etcd-prod-0/server", notAfter: new Date(NOW.getTime() + 300 * DAY_MS) },
  ],
  now: NOW,
};

describe("statusReport", () => {
  it("shows every member, the last backup and the certificates, and finds nothing wrong with a well cluster", () => {
    const report = statusReport(WELL);
    assert.deepEqual(report.problems, []);
    const lines = report.text.split("\n");
    assert.deepEqual(lines.slice(0, 2), [
      "ENDPOINT                HEALTHY  LEADER  LEARNER  RAFT INDEX  DB SIZE   OF QUOTA  IN USE  PROBLEM",
      "https://10.0.1.10:2379  yes      yes     no       1042        20.0 MiB  0.2 %     90.0 %",
    ]);
    assert.ok(lines.includes("3/3 members healthy; quota 8.0 GiB"));
    assert.ok(
      lines.includes(
        "last backup: s3://etcd-prod-backups/etcd-prod/snapshots/20261203T113000Z-rev900-etcd-prod-0.db at 2026-12-03T11:35:00.000Z, 25m ago (limit 1h 0m)",
      ),
    );
    assert.ok(lines.includes("  etcd-prod-0/server  expires 2027-09-29T12:00:00.000Z, in 300d 0h 0m"));
    assert.equal(lines.at(-2), "status: OK");
  });

  it("reports an unhealthy member, a learner and a missing leader", () => {
    const report = statusReport({
      ...WELL,
      members: [
        member(0, { isLeader: false }),
        member(1, { isLearner: true }),
        { endpoint: "https://10.0.3.10:2379", healthy: false, problem: "no status: 14 UNAVAILABLE", tookMs: 5000 },
      ],
    });
    assert.deepEqual(report.problems, [
      "https://10.0.2.10:2379 is still a learner (no vote): run etcd-join-cluster --promote on it",
      "https://10.0.3.10:2379 is unhealthy: no status: 14 UNAVAILABLE",
      "no member reports being the leader",
    ]);
    assert.match(report.text, /^status: 3 out of bounds:$/m);
  });

  it("reports a database at 80 % of its quota and a fragmented one", () => {
    const report = statusReport({
      ...WELL,
      members: [member(0, { dbSizeBytes: 6600 * MiB, dbSizeInUseBytes: 6000 * MiB }), member(1, { dbSizeBytes: 400 * MiB, dbSizeInUseBytes: 150 * MiB }), member(2)],
    });
    assert.deepEqual(report.problems, [
      "https://10.0.1.10:2379 database fills 80.6 % of its quota (8.0 GiB); NOSPACE at 100 %",
      "https://10.0.2.10:2379 database is fragmented: 37.5 % of 400.0 MiB in use; defragment it",
    ]);
  });

  it("reports a backup older than twice the interval, and one it could not read", () => {
    const stale = statusReport({ ...WELL, lastBackup: { uri: "s3://b/k.db", time: new Date(NOW.getTime() - 61 * 60_000) } });
    assert.deepEqual(stale.problems, ["the last backup is 1h 1m old, more than twice the backup interval"]);
    const unknown = statusReport({ ...WELL, lastBackup: { problem: "no snapshot under s3://b/etcd-prod/snapshots/" } });
    assert.deepEqual(unknown.problems, ["last backup unknown: no snapshot under s3://b/etcd-prod/snapshots/"]);
  });

  it("reports a certificate inside its renewal window", () => {
    const report = statusReport({ ...WELL, certificates: [...WELL.certificates, { name: "client/admin", notAfter: new Date(NOW.getTime() + 29 * DAY_MS) }] });
    assert.deepEqual(report.problems, ["certificate client/admin expires 2027-01-01T12:00:00.000Z, inside the 720 h renewal window"]);
    assert.match(report.text, /^ {2}client\/admin {2}expires 2027-01-01T12:00:00\.000Z, in 29d 0h 0m {2}RENEW: run pulumi up$/m);
  });

  it("sends a CA inside the window to the rotation, not to an up that never renews it", () => {
    const report = statusReport({ ...WELL, certificates: [{ name: "ca", notAfter: new Date(NOW.getTime() + 29 * DAY_MS) }] });
    assert.match(report.text, /^ {2}ca {2}expires 2027-01-01T12:00:00\.000Z, in 29d 0h 0m {2}ROTATE: README "Rotating the CA"$/m);
  });

  it("formats durations for people", () => {
    assert.deepEqual([45, 3600, 90061].map(formatDuration), ["45s", "1h 0m", "1d 1h 1m"]);
  });
});
