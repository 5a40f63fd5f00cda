import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configWith, onlyProblemOf } from "./fixtures";

describe("pki settings", () => {
  it("refuses RSA keys below 2048 bits", () => {
    assert.deepEqual(onlyProblemOf(configWith({ pki: { keyAlgorithm: "RSA", rsaBits: 1024 } })), {
      key: "etcd-cluster:pki.rsaBits",
      message: "etcd-cluster:pki.rsaBits is 1024: below 2048 bits, too weak for a TLS key today; set 2048, 3072 or 4096",
    });
  });

  it("refuses RSA keys above 4096 bits, whose PEM would not fit the SSM parameter that carries it", () => {
    assert.deepEqual(onlyProblemOf(configWith({ pki: { keyAlgorithm: "RSA", rsaBits: 8192 } })), {
      key: "etcd-cluster:pki.rsaBits",
      message:
        "etcd-cluster:pki.rsaBits is 8192: above 4096 bits, the key's PEM outgrows the 4 KB SSM parameter that carries it to the member; set 2048, 3072 or 4096",
    });
  });

  it("refuses early renewal that is not shorter than the certificate validity", () => {
    assert.deepEqual(onlyProblemOf(configWith({ pki: { certValidityHours: 720, earlyRenewalHours: 720 } })), {
      key: "etcd-cluster:pki.earlyRenewalHours",
      message:
        "etcd-cluster:pki.earlyRenewalHours is 720: not below certValidityHours (720), so every update would re-issue " +
        "every certificate; set it below 720, e.g. 60 (a twelfth of the validity)",
    });
  });

  it("refuses certificates that would outlive their CA", () => {
    assert.deepEqual(onlyProblemOf(configWith({ pki: { caValidityHours: 8760, certValidityHours: 17520 } })), {
      key: "etcd-cluster:pki.certValidityHours",
      message:
        "etcd-cluster:pki.certValidityHours is 17520: longer than caValidityHours (8760), so certificates would outlive " + "their CA; set it to at most 8760",
    });
  });

  it("refuses the P224 curve that Go's TLS cannot use", () => {
    assert.deepEqual(onlyProblemOf(configWith({ pki: { ecdsaCurve: "P224" } })), {
      key: "etcd-cluster:pki.ecdsaCurve",
      message: 'etcd-cluster:pki.ecdsaCurve is "P224": not a curve Go\'s TLS (and so etcd) accepts; ' + "set P256 or P384 (never P224, the tls provider's default)",
    });
  });
});

describe("backup settings", () => {
  it("refuses a volume snapshot interval that Data Lifecycle Manager does not offer", () => {
    assert.deepEqual(onlyProblemOf(configWith({ backup: { volumeSnapshots: { intervalHours: 5 } } })), {
      key: "etcd-cluster:backup.volumeSnapshots.intervalHours",
      message: "etcd-cluster:backup.volumeSnapshots.intervalHours is 5: not an interval Data Lifecycle Manager accepts; " + "set one of 1, 2, 3, 4, 6, 8, 12, 24",
    });
  });

  it("refuses a snapshot schedule that would add lines to the timer unit", () => {
    const problem = onlyProblemOf(configWith({ backup: { snapshotSchedule: "*:0/30\nExecStartPre=/bin/sh" } }));
    assert.equal(problem.key, "etcd-cluster:backup.snapshotSchedule");
    assert.match(problem.message, /not a systemd OnCalendar expression; write e\.g\. "\*:0\/30"/);
  });

  it("refuses a snapshot schedule whose interval the freshness alarms cannot derive", () => {
    assert.deepEqual(onlyProblemOf(configWith({ backup: { snapshotSchedule: "Mon *-*-* 00:00" } })), {
      key: "etcd-cluster:backup.snapshotSchedule",
      message:
        'etcd-cluster:backup.snapshotSchedule is "Mon *-*-* 00:00": a schedule whose interval the backup-freshness alarms ' +
        'cannot derive; use minutely, hourly, daily or a daily time pattern such as "*:0/30", "0/6:00" or "02:30"',
    });
  });

  it("refuses snapshots less often than daily", () => {
    assert.deepEqual(onlyProblemOf(configWith({ backup: { snapshotSchedule: "weekly" } })), {
      key: "etcd-cluster:backup.snapshotSchedule",
      message: 'etcd-cluster:backup.snapshotSchedule is "weekly": snapshots less often than daily; take at least one a day, e.g. "daily" or "*:0/30"',
    });
  });
});
