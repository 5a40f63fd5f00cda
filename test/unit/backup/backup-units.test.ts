import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BACKUP_SERVICE_NAME, BACKUP_TIMER_NAME, renderBackupUnits } from "../../../src/core/member/backup-units";
import { BACKUP_SCRIPT_PATH, DEFAULT_VOLUME_MOUNT_POINTS } from "../../../src/core/member/ports-and-paths";
import { toolAvailable, verifySystemdUnit } from "../../support/linters";

const units = renderBackupUnits({ memberName: "etcd-prod-2", schedule: "*:0/30", mounts: DEFAULT_VOLUME_MOUNT_POINTS });

function lines(unit: string): string[] {
  return unit.split("\n");
}

describe("renderBackupUnits", () => {
  it("renders a service and a timer that systemd-analyze verify accepts", (t) => {
    if (!toolAvailable(t, "systemd-analyze")) return;
    for (const [name, unit] of [
      [BACKUP_SERVICE_NAME, units.service],
      [BACKUP_TIMER_NAME, units.timer],
    ] as const) {
      const report = verifySystemdUnit(name, unit);
      assert.ok(report.passed, `${name}: ${report.output}`);
    }
  });

  it("starts the backup service on the configured calendar and catches up a run missed while the instance was off", () => {
    const timer = lines(units.timer);
    for (const line of ["OnCalendar=*:0/30", "Persistent=true", `Unit=${BACKUP_SERVICE_NAME}`, "WantedBy=timers.target"]) {
      assert.ok(timer.includes(line), line);
    }
  });

  it("runs the backup script once per start, as the etcd user, at idle I/O priority", () => {
    const service = lines(units.service);
    for (const line of ["Type=oneshot", "User=etcd", `ExecStart=${BACKUP_SCRIPT_PATH}`, "IOSchedulingClass=idle", "SyslogIdentifier=etcd-backup"]) {
      assert.ok(service.includes(line), line);
    }
  });

  it("creates its scratch directory on the data volume, owned by the etcd user, and may write only that volume", () => {
    const service = lines(units.service);
    assert.ok(service.includes("ExecStartPre=+/usr/bin/install -d -o etcd -g etcd -m 0700 /var/lib/etcd/data/etcd-backup"));
    assert.ok(service.includes("ProtectSystem=strict"));
    assert.ok(service.includes("ReadWritePaths=/var/lib/etcd/data"));
    assert.ok(service.includes("RequiresMountsFor=/var/lib/etcd/data"));
  });
});
