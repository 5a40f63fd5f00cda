/**
 * The member host drill: each member's rendered user data runs as on EC2. A Debian 13 root
 * filesystem boots with systemd (systemd-nspawn) in the member's own network namespace; cloud-init
 * runs the user data; the EBS volumes are loop devices that appear late as Nitro NVMe devices; the
 * AWS CLI is the only stand-in (SSM parameters and S3 objects the program declares); etcd comes
 * from a release tarball checked against its pinned SHA-256 and runs under the rendered unit.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { ETCD_FILE_LIMIT } from "../../src/core/member/systemd";
import { memberHealthCheckCommand } from "../../src/core/aws/health-gate-command";
import { BOOT_COMPLETE_MARKER } from "../../src/core/member/ports-and-paths";
import { runAllCleanups } from "../../dev/local-cluster/cleanup";
import type { DeclaredInstance } from "../../dev/member-host/aws-side";
import { HostDrill, type Rendering } from "../../dev/member-host/host-drill";
import type { MemberInstance } from "../../dev/member-host/member-host";
import { realTls } from "../../dev/mock-runtime/real-tls";
import { rememberingTls } from "../../dev/mock-runtime/remembering-tls";
import { clientUrl, etcdProcessStatus, expectBooted, memberList, modeAndOwner, openFilesHardLimit } from "./support/members";

after(runAllCleanups);

describe("three members booted from their user data, as on EC2", { timeout: 1_200_000 }, () => {
  const tls = rememberingTls(realTls());
  let drill: HostDrill;
  let three: Rendering;
  let instances: readonly DeclaredInstance[];
  const running = new Map<string, MemberInstance>();

  before(async () => {
    drill = await HostDrill.create("host");
    three = await drill.render(3, tls);
    instances = three.aws.instances;
  });

  test("three members form the cluster through their own boot scripts, volumes attached late", async () => {
    for (const instance of instances) running.set(instance.name, drill.launch(instance, { attach: { delayMs: 5_000 } }));
    await Promise.all([...running.values()].map(expectBooted));
    const health = await drill.etcdctl(three, instances.map(clientUrl), ["endpoint", "health", "--cluster"]);
    assert.ok(health.ok, health.stderr);
    const members = await memberList(drill, three, instances);
    assert.deepEqual(
      members.map(({ name, started, isLearner }) => ({ name, started, isLearner })).sort((a, b) => a.name.localeCompare(b.name)),
      instances.map(({ name }) => ({ name, started: true, isLearner: false })),
    );
  });

  test("etcd runs as the unit says: the etcd user, its file limit, best-effort I/O at priority 0, no capabilities", async () => {
    const member = running.get(instances[0].name)!;
    const { pid, status, limits } = await etcdProcessStatus(member);
    const etcdUid = (await member.run(["id", "--user", "etcd"])).trim();
    assert.match(status, new RegExp(`^Uid:\\t${etcdUid}\\t${etcdUid}\\t`, "m"));
    assert.match(status, /^CapEff:\t0000000000000000$/m);
    assert.match(status, /^NoNewPrivs:\t1$/m);
    // The limit systemd applies is the unit's; the process gets it unless this machine's own hard
    // limit is lower and cannot be raised (a sandbox without CAP_SYS_RESOURCE: 20000 here).
    assert.equal((await member.run(["systemctl", "show", "--property=LimitNOFILE", "--value", "etcd.service"])).trim(), String(ETCD_FILE_LIMIT));
    const allowed = Math.min(ETCD_FILE_LIMIT, openFilesHardLimit(readFileSync("/proc/self/limits", "utf8")));
    assert.equal(openFilesHardLimit(limits), allowed);
    assert.equal((await member.run(["ionice", "--pid", pid])).trim(), "best-effort: prio 0");
  });

  test("the directories etcd needs are reachable by the etcd user and private to it; keys readable only by it", async () => {
    const member = running.get(instances[0].name)!;
    assert.equal(await modeAndOwner(member, "/var/lib/etcd"), "755 root:root");
    assert.equal(await modeAndOwner(member, "/var/lib/etcd/data/etcd"), "700 etcd:etcd");
    assert.equal(await modeAndOwner(member, "/var/lib/etcd/wal/etcd"), "700 etcd:etcd");
    assert.equal(await modeAndOwner(member, "/etc/etcd/pki"), "750 root:etcd");
    assert.equal(await modeAndOwner(member, "/etc/etcd/pki/peer.key"), "600 etcd:etcd");
    assert.equal(await modeAndOwner(member, "/etc/etcd/etcd.conf.yml"), "644 root:root");
  });

  test("the backup service, run by systemd as the unit says, uploads one snapshot from the leader; the followers skip", async () => {
    const outcomes = await Promise.all(
      instances.map(async (instance) => {
        const member = running.get(instance.name)!;
        const run = await member.exec(["systemctl", "start", "etcd-backup.service"]);
        const journal = await member.run(["journalctl", "--no-pager", "--output=cat", "--unit=etcd-backup.service"]);
        return { name: instance.name, ok: run.ok, journal };
      }),
    );
    for (const outcome of outcomes) assert.ok(outcome.ok, `etcd-backup.service failed on ${outcome.name}:\n${outcome.journal}`);
    const leaders = outcomes.filter((outcome) => /etcd-backup: OK s3:\/\//.test(outcome.journal));
    assert.equal(leaders.length, 1, outcomes.map((outcome) => outcome.journal).join("\n"));
    for (const follower of outcomes.filter((outcome) => outcome !== leaders[0])) assert.match(follower.journal, /skipped: .* is not the leader/);
    const snapshots = drill.uploads("").filter((key) => key.includes("/etcd-dev/snapshots/"));
    assert.equal(snapshots.length, 1);
    assert.match(snapshots[0], new RegExp(`/etcd-dev/snapshots/[^/]+-rev\\d+-${leaders[0].name}\\.db$`));
  });

  test("the member metrics socket, started by systemd, serves the backup interval, the certificates and the leader's last backup on 2382", async () => {
    const metrics = await Promise.all(
      instances.map(async (instance) => {
        const member = running.get(instance.name)!;
        assert.equal((await member.run(["systemctl", "is-active", "etcd-member-metrics.socket"])).trim(), "active", instance.name);
        return member.run(["curl", "--silent", "--show-error", "--fail", "http://127.0.0.1:2382/metrics"]);
      }),
    );
    for (const [index, text] of metrics.entries()) {
      assert.match(text, /^etcd_backup_interval_seconds 1800$/m, instances[index].name);
      for (const certificate of ["ca", "server", "peer"]) {
        assert.match(text, new RegExp(`^etcd_certificate_expiry_timestamp_seconds\\{certificate="${certificate}"\\} \\d{10}$`, "m"), instances[index].name);
      }
    }
    // The backup test above ran on every member: exactly the leader recorded a snapshot.
    assert.equal(metrics.filter((text) => /^etcd_backup_last_success_timestamp_seconds \d{10}$/m.test(text)).length, 1);
  });

  test("the health gate's check, as SSM runs it on the instance (etcd-finish-boot --once), passes on every booted member", async () => {
    for (const instance of instances) {
      const check = await running.get(instance.name)!.exec(["sh", "-c", memberHealthCheckCommand("healthy")]);
      assert.ok(check.ok, `${instance.name}: ${check.stderr}`);
    }
  });

  test("the health gate's check finishes a boot that started etcd but wrote no completion marker, once etcd is healthy", async () => {
    const member = running.get(instances[2].name)!;
    await member.run(["rm", BOOT_COMPLETE_MARKER]);
    const check = await member.exec(["sh", "-c", memberHealthCheckCommand("healthy")]);
    assert.ok(check.ok, check.stderr);
    assert.match(check.stderr, /etcd-dev-2 is a voting member: nothing to promote/);
    assert.match(check.stderr, /etcd is healthy and a voting member: the boot is complete/);
    await member.run(["test", "-f", BOOT_COMPLETE_MARKER]);
  });

  test("the defrag service, run by systemd as the unit says, checks the cluster and skips a member with little to free", async () => {
    const member = running.get(instances[2].name)!;
    const run = await member.exec(["systemctl", "start", "etcd-defrag.service"]);
    const journal = await member.run(["journalctl", "--no-pager", "--output=cat", "--unit=etcd-defrag.service"]);
    assert.ok(run.ok, `etcd-defrag.service failed:\n${journal}`);
    assert.match(journal, /skipped: etcd-dev-2 has \d+ of \d+ bytes free, below the threshold/);
  });

  test("a replaced instance (fresh root filesystem, same volumes and address, attached in swapped order) keeps its data and member ID", async () => {
    const instance = instances[1];
    const idBefore = (await memberList(drill, three, instances)).find((member) => member.name === instance.name)?.id;
    const put = await drill.etcdctl(three, [clientUrl(instances[0])], ["put", "/drill/replacement", "kept"]);
    assert.ok(put.ok, put.stderr);
    await running.get(instance.name)!.terminate();
    const replacement = drill.launch(instance, { attach: { delayMs: 5_000, reversed: true } });
    running.set(instance.name, replacement);
    await expectBooted(replacement);
    assert.match(replacement.bootLog(), /already holds data: keeping it/);
    assert.match(replacement.bootLog(), /holds a WAL: .* rejoins as itself/);
    const idAfter = (await memberList(drill, three, instances)).find((member) => member.name === instance.name)?.id;
    assert.equal(idAfter, idBefore);
    const read = await drill.etcdctl(three, [clientUrl(instance)], ["get", "/drill/replacement", "--print-value-only", "--consistency=s"]);
    assert.equal(read.stdout.trim(), "kept");
  });

  test("a scale-up member joins as a learner and is promoted by its own boot", async () => {
    const five = await drill.render(5, tls);
    const joining = five.aws.instances[3];
    const member = drill.launch(joining, { attach: { delayMs: 5_000 } });
    running.set(joining.name, member);
    await expectBooted(member);
    assert.match(member.bootLog(), /as a learner/);
    assert.match(member.bootLog(), /promoted/);
    const listed = (await memberList(drill, five, instances)).find((entry) => entry.name === joining.name);
    assert.deepEqual({ started: listed?.started, isLearner: listed?.isLearner }, { started: true, isLearner: false });
  });
});
