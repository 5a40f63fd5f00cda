/**
 * etcd-finish-boot (finish-boot.sh), run by bash with a stand-in curl (etcd's /health) and a
 * stand-in join step that logs its arguments: what it finishes, and what it refuses to.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { renderFinishBootScript } from "../../../src/core/member/scripts/finish-boot-script";
import { checkShellScript, checkShellScriptFile, toolAvailable } from "../../support/linters";
import { inSandbox, type ScriptSandbox } from "../../support/script-sandbox";

const FINISH_BOOT_SH = join(__dirname, "../../../src/core/member/scripts/finish-boot.sh");
const HEALTHY = `echo '{"health":"true","reason":""}'`;
const NO_LEADER = `echo '{"health":"false","reason":"RAFT NO LEADER"}'`;

interface Member {
  /** The boot started etcd and its timers (its marker is there). */
  readonly etcdStarted?: boolean;
  /** The boot completed (its marker is there). */
  readonly complete?: boolean;
  /** What curl prints for /health. */
  readonly health: string;
  /** Exit status of the join step's promote. */
  readonly promoteStatus?: number;
}

/** Runs `etcd-finish-boot ARGS` on a member in the state given; returns its status, output, the join step's calls and the marker. */
function finishBoot(member: Member, args = "") {
  return inSandbox((sandbox: ScriptSandbox) => {
    if (member.etcdStarted === true) sandbox.file("etcd-started");
    if (member.complete === true) sandbox.file("boot-complete");
    const joinCalls = sandbox.path("join-calls");
    writeFileSync(sandbox.path("etcd-join-cluster"), `#!/bin/sh\necho "$*" >> '${joinCalls}'\nexit ${member.promoteStatus ?? 0}\n`, { mode: 0o755 });
    const run = sandbox.run({
      script: FINISH_BOOT_SH,
      settings: [
        `readonly BOOT_COMPLETE_MARKER='${sandbox.path("boot-complete")}'`,
        `readonly ETCD_STARTED_MARKER='${sandbox.path("etcd-started")}'`,
        `readonly HEALTH_URL='http://127.0.0.1:2381/health'`,
        `readonly JOIN_CLUSTER='${sandbox.path("etcd-join-cluster")}'`,
      ],
      steps: `main ${args}`,
      stubs: { curl: member.health },
    });
    const calls = existsSync(joinCalls) ? readFileSync(joinCalls, "utf8").trim().split("\n") : [];
    return { ...run, joinCalls: calls, complete: existsSync(sandbox.path("boot-complete")) };
  });
}

describe("etcd-finish-boot (the end of a member's boot, run by the boot and by the health gate)", () => {
  test("passes shellcheck as a file and as rendered", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    for (const report of [checkShellScriptFile(FINISH_BOOT_SH), checkShellScript(renderFinishBootScript())]) assert.ok(report.passed, report.output);
  });

  test("renders the markers, the health URL and the join step as readonly settings bash reads", () => {
    const declared = inSandbox((sandbox) =>
      sandbox.run({
        script: sandbox.file("etcd-finish-boot", renderFinishBootScript()),
        steps: "declare -p BOOT_COMPLETE_MARKER ETCD_STARTED_MARKER HEALTH_URL JOIN_CLUSTER",
      }),
    );
    assert.equal(
      declared.stdout,
      [
        `declare -r BOOT_COMPLETE_MARKER="/var/lib/etcd/boot-complete"`,
        `declare -r ETCD_STARTED_MARKER="/var/lib/etcd/boot-etcd-started"`,
        `declare -r HEALTH_URL="http://127.0.0.1:2381/health"`,
        `declare -r JOIN_CLUSTER="/usr/local/sbin/etcd-join-cluster"`,
        "",
      ].join("\n"),
    );
  });

  test("finishes a boot that started etcd and stopped before its end, once etcd is healthy: promote step, then the completion marker", () => {
    const run = finishBoot({ etcdStarted: true, health: HEALTHY });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.joinCalls, ["--promote"]);
    assert.equal(run.complete, true);
    assert.match(run.stderr, /etcd is healthy and a voting member: the boot is complete/);
  });

  test("with --once, hands the promote step its bounded mode (one member list, one promotion attempt)", () => {
    const run = finishBoot({ etcdStarted: true, health: HEALTHY }, "--once");
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.joinCalls, ["--promote --once"]);
  });

  test("fails, writing no marker, while etcd is not healthy (the cluster has no quorum)", () => {
    const run = finishBoot({ etcdStarted: true, health: NO_LEADER });
    assert.equal(run.status, 1);
    assert.deepEqual(run.joinCalls, []);
    assert.equal(run.complete, false);
    assert.match(run.stderr, /the boot started etcd, which is not healthy yet: \{"health":"false","reason":"RAFT NO LEADER"\}/);
  });

  test("fails, writing no marker, when etcd refuses the promotion", () => {
    const run = finishBoot({ etcdStarted: true, health: HEALTHY, promoteStatus: 1 });
    assert.equal(run.status, 1);
    assert.equal(run.complete, false);
    assert.match(run.stderr, /the promote step failed \(above\): the boot is not complete/);
  });

  test("fails a boot that never started etcd (a refused join, a failed download), even with etcd healthy, pointing at the boot's log", () => {
    const run = finishBoot({ health: HEALTHY });
    assert.equal(run.status, 1);
    assert.deepEqual(run.joinCalls, []);
    assert.equal(run.complete, false);
    assert.match(run.stderr, /the boot has not started etcd: it is still running, or it stopped before \(its log: \/var\/log\/cloud-init-output\.log\)/);
  });

  test("passes a completed boot while etcd is healthy, without asking etcd about promotion again", () => {
    const run = finishBoot({ complete: true, health: HEALTHY });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.joinCalls, []);
  });

  test("fails a completed boot while etcd is not healthy", () => {
    const run = finishBoot({ complete: true, etcdStarted: true, health: NO_LEADER });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /the boot completed, but etcd is not healthy: \{"health":"false"/);
  });

  test("refuses an unknown argument", () => {
    const run = finishBoot({ health: HEALTHY }, "--promote");
    assert.equal(run.status, 2);
    assert.match(run.stderr, /usage: etcd-finish-boot \[--once\]/);
  });
});
