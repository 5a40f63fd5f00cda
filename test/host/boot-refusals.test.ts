/**
 * Boots that must fail, on the same faithful hosts as cluster-boot.test.ts: the member's boot
 * script stops, cloud-init reports the failure, and etcd never starts. The boot failed for good on
 * that instance: the health gate's check, as SSM runs it there, says so with the boot's reason.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { VOLUME_WAIT_OVERRIDE } from "../../src/core/member/scripts/boot-script";
import { memberHealthCheckCommand } from "../../src/core/aws/health-gate-command";
import { BOOT_FAILED_STATUS } from "../../src/core/member/ports-and-paths";
import { runAllCleanups } from "../../dev/local-cluster/cleanup";
import { HostDrill, type Rendering } from "../../dev/member-host/host-drill";
import type { MemberInstance } from "../../dev/member-host/member-host";
import { BOOT_WITHIN_MS } from "./support/members";

after(runAllCleanups);

/** The boot failed as cloud-init reports it, and etcd was never installed or started. */
async function expectFailedWithoutEtcd(member: MemberInstance): Promise<void> {
  const result = await member.bootResult(BOOT_WITHIN_MS);
  console.log(`host drill: ${member.launch.name} failed its boot after ${(result.bootMs / 1000).toFixed(1)} s, as it must`);
  assert.ok(result.errors.length > 0, `the boot succeeded:\n${member.bootLog()}`);
  assert.equal((await member.exec(["systemctl", "is-active", "etcd.service"])).stdout.trim(), "inactive");
  assert.equal((await member.exec(["test", "-e", "/usr/local/bin/etcd"])).ok, false, "etcd was installed");
}

/** Both gates' checks, as SSM runs them on the instance, exit BOOT_FAILED_STATUS with the boot's `reason`. */
async function expectFailedForGood(member: MemberInstance, reason: RegExp): Promise<void> {
  for (const condition of ["healthy", "started"] as const) {
    const check = await member.exec(["sh", "-c", memberHealthCheckCommand(condition)]);
    assert.equal(check.code, BOOT_FAILED_STATUS, `${condition}: ${check.stderr}`);
    assert.match(check.stderr, /the boot failed for good: it stopped before starting etcd/);
    assert.match(check.stderr, reason);
  }
}

describe("boots that must fail", { timeout: 900_000 }, () => {
  let drill: HostDrill;
  let three: Rendering;

  before(async () => {
    drill = await HostDrill.create("refuse");
    three = await drill.render(3);
  });

  test("a volume that never appears fails the boot, naming the volume", async () => {
    const instance = three.aws.instances[0];
    const wal = instance.volumes[1].volumeId;
    const member = drill.launch(instance, { attach: { delayMs: 0, never: [wal] }, bootEnvironment: { [VOLUME_WAIT_OVERRIDE]: "20" } });
    await expectFailedWithoutEtcd(member);
    assert.match(member.bootLog(), new RegExp(`volume ${wal} was not attached within 20s`));
    await expectFailedForGood(member, new RegExp(`volume ${wal} was not attached within 20s`));
    await member.terminate();
  });

  test("a tarball that does not match the pinned SHA-256 is refused before anything from it runs", async () => {
    drill.release.tamper();
    const instance = three.aws.instances[1];
    const member = drill.launch(instance, { attach: { delayMs: 0 } });
    await expectFailedWithoutEtcd(member);
    assert.match(member.bootLog(), /etcd\.tar\.gz: FAILED/);
    await expectFailedForGood(member, /etcd\.tar\.gz: FAILED/);
  });
});
