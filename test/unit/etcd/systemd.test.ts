import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULT_HOST_PATHS, DEFAULT_VOLUME_MOUNT_POINTS } from "../../../src/core/member/ports-and-paths";
import { ETCD_UNIT_NAME, renderEtcdUnit } from "../../../src/core/member/systemd";
import { toolAvailable, verifySystemdUnit } from "../../support/linters";

const unit = renderEtcdUnit({ memberName: "etcd-test-0", paths: DEFAULT_HOST_PATHS, mounts: DEFAULT_VOLUME_MOUNT_POINTS });

/** The unit's directives as `Section.Key` → values (comments and blank lines dropped). */
function directives(text: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let section = "";
  for (const line of text.split("\n")) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) section = header[1];
    const setting = /^(\w+)=(.*)$/.exec(line);
    if (setting) result.set(`${section}.${setting[1]}`, [...(result.get(`${section}.${setting[1]}`) ?? []), setting[2]]);
  }
  return result;
}

const settings = directives(unit);
const value = (key: string) => settings.get(key)?.join(" ");

describe("etcd systemd unit", () => {
  test("runs etcd as the etcd user from its config file, and waits for its readiness notification", () => {
    assert.equal(value("Service.Type"), "notify");
    assert.equal(value("Service.ExecStart"), "/usr/local/bin/etcd --config-file=/etc/etcd/etcd.conf.yml");
    assert.equal(value("Service.User"), "etcd");
    assert.equal(value("Service.Group"), "etcd");
  });

  test("restarts etcd whenever it stops, without ever giving up", () => {
    assert.equal(value("Service.Restart"), "always");
    assert.equal(value("Service.RestartSec"), "10s");
    assert.equal(value("Unit.StartLimitIntervalSec"), "0");
  });

  test("gives etcd the highest best-effort disk priority, more CPU weight and enough file descriptors", () => {
    assert.equal(value("Service.IOSchedulingClass"), "best-effort");
    assert.equal(value("Service.IOSchedulingPriority"), "0");
    assert.equal(value("Service.Nice"), "-10");
    assert.equal(value("Service.CPUWeight"), "1000");
    assert.equal(value("Service.LimitNOFILE"), "65536");
  });

  test("never starts without both volumes mounted, and only after the network is up", () => {
    assert.equal(value("Unit.RequiresMountsFor"), "/var/lib/etcd/data /var/lib/etcd/wal");
    assert.equal(value("Unit.After"), "network-online.target");
    assert.equal(value("Unit.Wants"), "network-online.target");
  });

  test("may write only its two volumes", () => {
    assert.equal(value("Service.ProtectSystem"), "strict");
    assert.equal(value("Service.ReadWritePaths"), "/var/lib/etcd/data /var/lib/etcd/wal");
    assert.equal(value("Service.NoNewPrivileges"), "yes");
    assert.equal(value("Service.PrivateTmp"), "yes");
    assert.equal(value("Service.CapabilityBoundingSet"), "");
  });

  test("is enabled for the normal boot target", () => {
    assert.equal(value("Install.WantedBy"), "multi-user.target");
  });

  test("passes systemd-analyze verify without errors or warnings", (t) => {
    if (!toolAvailable(t, "systemd-analyze")) return;
    const report = verifySystemdUnit(ETCD_UNIT_NAME, unit);
    assert.ok(report.passed, report.output);
  });

  test("the verify check rejects a key systemd does not know, so it can fail", (t) => {
    if (!toolAvailable(t, "systemd-analyze")) return;
    const report = verifySystemdUnit(ETCD_UNIT_NAME, unit.replace("Restart=always", "Restart=always\nRestartEvery=5s"));
    assert.equal(report.passed, false);
    assert.match(report.output, /Unknown key 'RestartEvery'/);
  });
});
