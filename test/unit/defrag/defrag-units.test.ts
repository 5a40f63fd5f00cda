import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import { DEFRAG_SERVICE_NAME, DEFRAG_TIMER_NAME, defragSchedule, renderDefragUnits } from "../../../src/core/member/defrag-units";
import { DEFRAG_SCRIPT_PATH } from "../../../src/core/member/ports-and-paths";
import { MAX_MEMBERS } from "../../../src/core/etcd/topology";
import { toolAvailable, verifySystemdUnit } from "../../support/linters";

const units = renderDefragUnits({ memberName: "etcd-prod-2", memberIndex: 2 });

function lines(unit: string): string[] {
  return unit.split("\n");
}

describe("defragSchedule", () => {
  it("gives each of 7 members its own daily time, 30 minutes apart from 03:15 UTC", () => {
    const schedules = Array.from({ length: MAX_MEMBERS }, (_, index) => defragSchedule(index));
    assert.deepEqual(schedules, [
      "*-*-* 03:15:00 UTC",
      "*-*-* 03:45:00 UTC",
      "*-*-* 04:15:00 UTC",
      "*-*-* 04:45:00 UTC",
      "*-*-* 05:15:00 UTC",
      "*-*-* 05:45:00 UTC",
      "*-*-* 06:15:00 UTC",
    ]);
    assert.equal(new Set(schedules).size, MAX_MEMBERS);
  });

  it("renders calendar expressions systemd accepts", (t) => {
    if (!toolAvailable(t, "systemd-analyze")) return;
    const result = spawnSync("systemd-analyze", ["calendar", defragSchedule(0), defragSchedule(MAX_MEMBERS - 1)], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
  });
});

describe("renderDefragUnits", () => {
  it("renders a service and a timer that systemd-analyze verify accepts", (t) => {
    if (!toolAvailable(t, "systemd-analyze")) return;
    for (const [name, unit] of [
      [DEFRAG_SERVICE_NAME, units.service],
      [DEFRAG_TIMER_NAME, units.timer],
    ] as const) {
      const report = verifySystemdUnit(name, unit);
      assert.ok(report.passed, `${name}: ${report.output}`);
    }
  });

  it("starts the defrag in the member's own slot, exactly then, and does not catch up a missed run at boot", () => {
    const timer = lines(units.timer);
    for (const line of ["OnCalendar=*-*-* 04:15:00 UTC", "Persistent=false", `Unit=${DEFRAG_SERVICE_NAME}`, "WantedBy=timers.target"]) {
      assert.ok(timer.includes(line), line);
    }
    assert.ok(!units.timer.includes("RandomizedDelaySec"));
  });

  it("runs the defrag script once per start, as the etcd user, and ends it before the next member's slot", () => {
    const service = lines(units.service);
    for (const line of ["Type=oneshot", "User=etcd", `ExecStart=${DEFRAG_SCRIPT_PATH}`, "SyslogIdentifier=etcd-defrag", "TimeoutStartSec=25min"]) {
      assert.ok(service.includes(line), line);
    }
  });

  it("may write nowhere: the script only talks to etcd", () => {
    assert.ok(lines(units.service).includes("ProtectSystem=strict"));
    assert.ok(!units.service.includes("ReadWritePaths"));
  });
});
