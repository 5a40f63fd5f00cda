/**
 * The boot script's functions, run by bash from boot.sh with stand-in commands (blkid, mkfs.xfs,
 * mount, aws, systemctl, …) on PATH, and its rendered header as bash reads it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { renderBootScript, VOLUME_WAIT_OVERRIDE } from "../../../src/core/member/scripts/boot-script";
import { renderFinishBootScript } from "../../../src/core/member/scripts/finish-boot-script";
import { RESTORE_SCRIPT_PATH } from "../../../src/core/member/ports-and-paths";
import { checkShellScript, checkShellScriptFile, toolAvailable } from "../../support/linters";
import { inSandbox, type SandboxRunInput, type ScriptSandbox } from "../../support/script-sandbox";
import { clusterOf, memberFilesInput } from "./fixtures";

const BOOT_SH = join(__dirname, "../../../src/core/member/scripts/boot.sh");
const input = memberFilesInput(clusterOf(3), 1);
const script = renderBootScript({ ...input, restoresSnapshot: false });
const restoring = renderBootScript({ ...input, restoresSnapshot: true });

/** Settings of boot.sh for a member whose every path is inside the sandbox. */
function settings(sandbox: ScriptSandbox, overrides: Record<string, string> = {}): string[] {
  const values: Record<string, string> = {
    member_name: "etcd-test-1",
    data_volume_id: "vol-0a1b2c3d4e5f60701",
    data_label: "etcd-data",
    data_mount: sandbox.path("data"),
    data_dir: sandbox.path("data/etcd"),
    wal_volume_id: "vol-0f1e2d3c4b5a69701",
    wal_label: "etcd-wal",
    wal_mount: sandbox.path("wal"),
    wal_dir: sandbox.path("wal/etcd"),
    cert_dir: sandbox.path("etc/pki"),
    etcd_user: "etcd",
    bin_dir: sandbox.path("bin"),
    join_cluster: sandbox.path("etcd-join-cluster"),
    restore_script: "",
    metrics_dir: sandbox.path("data/etcd-metrics"),
    unit: "etcd.service",
    backup_timer: "etcd-backup.timer",
    defrag_timer: "etcd-defrag.timer",
    metrics_socket: "etcd-member-metrics.socket",
    certificate_metrics_timer: "etcd-certificate-metrics.timer",
    volume_wait_seconds: "5",
    health_wait_seconds: "0",
    fstab: sandbox.file("fstab"),
    etcd_started_marker: sandbox.path("etcd-started"),
    boot_complete_marker: sandbox.path("boot-complete"),
    boot_failed_marker: sandbox.path("var/lib/etcd/boot-failed"),
    finish_boot: sandbox.path("etcd-finish-boot"),
    ...overrides,
  };
  return [
    ...Object.entries(values).map(([name, value]) => `readonly ${name}='${value}'`),
    // main makes it; the steps a test runs without main find it made.
    `work_dir='${sandbox.directory("work")}'`,
    `readonly secret_files=('/etcd/ca.crt' '${sandbox.path("etc/pki/ca.crt")}' 0644 '/etcd/m/server.key' '${sandbox.path("etc/pki/server.key")}' 0600)`,
  ];
}

/** Runs `steps` after sourcing boot.sh with the sandbox's settings. */
function runBoot(sandbox: ScriptSandbox, steps: string, options: Partial<SandboxRunInput> & { overrides?: Record<string, string> } = {}) {
  return sandbox.run({ ...options, script: BOOT_SH, settings: settings(sandbox, options.overrides), steps });
}

/** A blkid stand-in: exit `probe` for the probe, and TYPE/UUID as given for the value queries. */
function blkid(probe: number, type = "xfs", uuid = "0b6c8d1e-1111-4222-8333-944455556666"): string {
  return `case "$*" in
  *"-s TYPE"*) [ -n '${type}' ] && echo '${type}' ;;
  *"-s UUID"*) [ -n '${uuid}' ] && echo '${uuid}' ;;
  *) exit ${probe} ;;
esac`;
}

/**
 * Stand-ins of prepare_volume's tools; lsblk lists the data volume as nvme1n1, which reads as zeros
 * (dd writes a MiB of them). boot-volume.test.ts runs the same steps on real block devices.
 */
const volumeTools = (probe: number, type?: string, uuid?: string) => ({
  dd: `for arg; do case $arg in of=*) head -c 1048576 /dev/zero >"\${arg#of=}" ;; esac; done`,
  lsblk: "echo 'nvme1n1 vol0a1b2c3d4e5f60701'",
  blkid: blkid(probe, type, uuid),
  "mkfs.xfs": "",
  mountpoint: "exit 1",
  mount: "",
  chown: "",
});

const commandsOf = (calls: readonly string[], name: string) => calls.filter((call) => call.startsWith(`${name} `));

describe("member boot script", () => {
  test("passes shellcheck as a file and as rendered, with and without a restore", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    for (const report of [checkShellScriptFile(BOOT_SH), checkShellScript(script), checkShellScript(restoring)]) {
      assert.ok(report.passed, report.output);
    }
  });

  test("renders the member's settings as readonly values bash reads, secrets as triples of parameter, file and mode", () => {
    const declared = inSandbox((sandbox) => {
      const rendered = sandbox.file("etcd-member-boot", restoring);
      const names = ["member_name", "data_volume_id", "data_label", "wal_label", "restore_script", "volume_wait_seconds", "secret_files", "AWS_DEFAULT_REGION"];
      return sandbox
        .run({ script: rendered, steps: `declare -p ${names.join(" ")}` })
        .stdout.trim()
        .split("\n");
    });
    assert.deepEqual(declared, [
      `declare -r member_name="etcd-test-1"`,
      `declare -r data_volume_id="vol-0a1b2c3d4e5f60701"`,
      `declare -r data_label="etcd-data"`,
      `declare -r wal_label="etcd-wal"`,
      `declare -r restore_script="${RESTORE_SCRIPT_PATH}"`,
      `declare -r volume_wait_seconds="300"`,
      `declare -ar secret_files=([0]="/etcd/etcd-test/ca.crt" [1]="/etc/etcd/pki/ca.crt" [2]="0644" ` +
        `[3]="/etcd/etcd-test/members/etcd-test-1/server.crt" [4]="/etc/etcd/pki/server.crt" [5]="0644" ` +
        `[6]="/etcd/etcd-test/members/etcd-test-1/server.key" [7]="/etc/etcd/pki/server.key" [8]="0600" ` +
        `[9]="/etcd/etcd-test/members/etcd-test-1/peer.crt" [10]="/etc/etcd/pki/peer.crt" [11]="0644" ` +
        `[12]="/etcd/etcd-test/members/etcd-test-1/peer.key" [13]="/etc/etcd/pki/peer.key" [14]="0600")`,
      `declare -x AWS_DEFAULT_REGION="eu-west-1"`,
    ]);
  });

  test("renders no restore step when the cluster does not start from a snapshot, and takes the volume wait from the drill's override", () => {
    const declared = inSandbox((sandbox) =>
      sandbox.run({ script: sandbox.file("boot", script), steps: "declare -p restore_script volume_wait_seconds", env: { [VOLUME_WAIT_OVERRIDE]: "20" } }),
    );
    assert.equal(declared.stdout, `declare -r restore_script=""\ndeclare -r volume_wait_seconds="20"\n`);
  });

  test("finds a volume by its EBS volume ID as the NVMe serial lsblk reports", () => {
    const run = inSandbox((sandbox) => runBoot(sandbox, "volume_device vol-0a1b2c3d4e5f60701", { stubs: volumeTools(0) }));
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, "/dev/nvme1n1\n");
  });

  test("gives up on a volume that is not attached within the wait, naming it", () => {
    const run = inSandbox((sandbox) =>
      runBoot(sandbox, "volume_device vol-0ffffffffffffffff", { stubs: { ...volumeTools(0), sleep: "" }, overrides: { volume_wait_seconds: "0" } }),
    );
    assert.equal(run.status, 1);
    assert.match(run.stderr, /volume vol-0ffffffffffffffff was not attached within 0s/);
  });

  test("creates an XFS filesystem with the volume's label on a device where blkid finds no signature", () => {
    const { run, fstab } = inSandbox((sandbox) => {
      const run = runBoot(sandbox, `prepare_volume "$data_volume_id" "$data_label" "$data_mount"`, { stubs: volumeTools(2) });
      return { run, fstab: readFileSync(sandbox.path("fstab"), "utf8").replaceAll(sandbox.dir, "<sandbox>") };
    });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(commandsOf(run.calls, "mkfs.xfs"), ["mkfs.xfs -L etcd-data /dev/nvme1n1"]);
    assert.equal(fstab, "UUID=0b6c8d1e-1111-4222-8333-944455556666 <sandbox>/data xfs defaults,noatime,nofail 0 0\n");
    assert.deepEqual(
      commandsOf(run.calls, "mount").map((call) => call.replace(/\/\S+\/data$/, "<mount point>")),
      ["mount <mount point>"],
    );
  });

  test("keeps a volume that already holds a filesystem, and adds its fstab line once", () => {
    const { run, fstab } = inSandbox((sandbox) => {
      const prepare = `prepare_volume "$data_volume_id" "$data_label" "$data_mount"`;
      const run = runBoot(sandbox, `${prepare}\n${prepare}`, { stubs: volumeTools(0) });
      return { run, fstab: readFileSync(sandbox.path("fstab"), "utf8") };
    });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(commandsOf(run.calls, "mkfs.xfs"), []);
    assert.equal(fstab.split("\n").filter((line) => line.startsWith("UUID=")).length, 1);
  });

  test("refuses a device blkid could not probe, and one that holds no mountable filesystem, touching neither", () => {
    for (const tools of [volumeTools(4), volumeTools(0, "", "")]) {
      const run = inSandbox((sandbox) => runBoot(sandbox, `prepare_volume "$data_volume_id" "$data_label" "$data_mount"`, { stubs: tools }));
      assert.equal(run.status, 1);
      assert.match(run.stderr, /blkid could not probe \/dev\/nvme1n1 \(exit 4\)|holds no mountable filesystem/);
      assert.deepEqual([...commandsOf(run.calls, "mkfs.xfs"), ...commandsOf(run.calls, "mount")], []);
    }
  });

  test("fetches each TLS file from SSM into its file with its mode, owned by the etcd user", () => {
    const { run, files } = inSandbox((sandbox) => {
      const run = runBoot(sandbox, "fetch_secrets", {
        // The value of each parameter is its own name.
        stubs: { aws: `printf '%s\\n' "$4"`, chown: "", install: `mkdir -p "\${@: -1}"` },
      });
      const files = ["ca.crt", "server.key"].map((name) => {
        const path = sandbox.path(`etc/pki/${name}`);
        return existsSync(path) ? `${name} ${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path, "utf8").trim()}` : `${name} missing`;
      });
      return { run, files };
    });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(files, ["ca.crt 644 /etcd/ca.crt", "server.key 600 /etcd/m/server.key"]);
    assert.deepEqual(
      commandsOf(run.calls, "aws").map((call) => call.split(" ").slice(0, 5).join(" ")),
      ["aws ssm get-parameter --name /etcd/ca.crt", "aws ssm get-parameter --name /etcd/m/server.key"],
    );
    assert.equal(commandsOf(run.calls, "chown").length, 2);
  });

  test("refuses an empty parameter and leaves no file behind", () => {
    const { run, left } = inSandbox((sandbox) => {
      const run = runBoot(sandbox, "fetch_secrets", { stubs: { aws: "", chown: "", install: `mkdir -p "\${@: -1}"` } });
      return { run, left: existsSync(sandbox.path("etc/pki/ca.crt")) };
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /parameter \/etcd\/ca.crt is empty/);
    assert.equal(left, false);
  });

  /** The join step's calls (its arguments in parentheses) when the WAL directory holds `walFiles`, with `restoreScript` set or not. */
  function joinStepCalls(walFiles: readonly string[], restoreScript = ""): string[] {
    return inSandbox((sandbox) => {
      mkdirSync(sandbox.path("wal/etcd"), { recursive: true });
      for (const file of walFiles) sandbox.file(`wal/etcd/${file}`);
      writeFileSync(sandbox.path("etcd-join-cluster"), `#!/bin/sh\necho "($*)" >> ${sandbox.path("join-calls")}\n`, { mode: 0o755 });
      const run = runBoot(sandbox, "join_cluster_if_new", { overrides: { restore_script: restoreScript } });
      assert.equal(run.status, 0, run.stderr);
      const calls = sandbox.path("join-calls");
      return existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [];
    });
  }

  test("runs the join step only while the WAL directory is empty", () => {
    assert.deepEqual(joinStepCalls([]), ["()"]);
    assert.deepEqual(joinStepCalls(["0000000000000000-0000000000000000.wal"]), []);
  });

  test("hands the restore script to the join step, which runs it only on a member that founds the cluster", () => {
    assert.deepEqual(joinStepCalls([], "/usr/local/sbin/etcd-restore"), ["(--restore /usr/local/sbin/etcd-restore)"]);
    assert.deepEqual(joinStepCalls(["0000000000000000-0000000000000000.wal"], "/usr/local/sbin/etcd-restore"), []);
  });

  test("waits for /health to report true through the installed etcd-finish-boot --health, and fails with etcd's answer when it does not in time", () => {
    /** The health wait with the real etcd-finish-boot installed, curl answering `health`. */
    const waitWith = (health: string) =>
      inSandbox((sandbox) => {
        sandbox.file("etcd-finish-boot", renderFinishBootScript());
        spawnSync("chmod", ["0755", sandbox.path("etcd-finish-boot")]);
        return runBoot(sandbox, "wait_until_healthy", { stubs: { curl: `echo '${health}'`, systemctl: "", sleep: "" } });
      });
    const healthy = waitWith('{"health":"true","reason":""}');
    assert.equal(healthy.status, 0, healthy.stderr);
    assert.deepEqual(commandsOf(healthy.calls, "curl"), ["curl --silent --max-time 5 http://127.0.0.1:2381/health"]);
    const unhealthy = waitWith('{"health":"false","reason":"RAFT NO LEADER"}');
    assert.equal(unhealthy.status, 1);
    assert.match(unhealthy.stderr, /etcd is not healthy after 0s: \{"health":"false","reason":"RAFT NO LEADER"\}/);
  });

  /** The boot's steps stood in for by recorders: main's order, and the markers it leaves. */
  const recordedSteps = ["require_tools", "ensure_etcd_user", "prepare_volume", "install_etcd", "fetch_secrets", "join_cluster_if_new", "wait_until_healthy"];
  function mainRun(options: { restore?: boolean; healthy?: boolean; joins?: boolean; earlierBoot?: boolean; earlierFailure?: boolean } = {}) {
    return inSandbox((sandbox) => {
      const steps = sandbox.path("steps");
      const restore = sandbox.file("etcd-restore", `#!/bin/sh\necho "step restore" >> ${steps}\n`);
      // The end of the boot as etcd-finish-boot does it when etcd is healthy: promote step, marker.
      const finish = sandbox.file("etcd-finish-boot", `#!/bin/sh\necho "step etcd-finish-boot $*" >> ${steps}\ntouch '${sandbox.path("boot-complete")}'\n`);
      spawnSync("chmod", ["0755", restore, finish]);
      // An earlier boot's markers on the same root volume (a reboot re-running the boot).
      if (options.earlierBoot === true) for (const marker of ["etcd-started", "boot-complete"]) sandbox.file(marker);
      // An earlier boot on this instance that failed for good (the operator runs the boot again).
      if (options.earlierFailure === true) sandbox.file("var/lib/etcd/boot-failed", "an earlier refusal\n");
      const fails = (step: string) => (step === "wait_until_healthy" && options.healthy === false) || (step === "join_cluster_if_new" && options.joins === false);
      const recorders = recordedSteps.map(
        (step) =>
          `${step}() { echo "step ${step} $*$([ -e '${sandbox.path("etcd-started")}' ] && echo '(etcd started)')" >> '${steps}'; ${fails(step) ? `echo "${step}: refused, run 'etcd-replace-member && etcd-member-boot'" >&2; return 1;` : ""} }`,
      );
      const run = runBoot(sandbox, [...recorders, "main"].join("\n"), {
        stubs: { systemctl: `echo "step systemctl $*" >> '${steps}'`, install: "" },
        overrides: options.restore ? { restore_script: restore } : {},
      });
      const lines = readFileSync(steps, "utf8")
        .replaceAll(sandbox.dir, "")
        .trim()
        .split("\n")
        .map((line) => line.trimEnd());
      const failedMarker = sandbox.path("var/lib/etcd/boot-failed");
      return {
        run,
        steps: lines,
        etcdStarted: existsSync(sandbox.path("etcd-started")),
        marker: existsSync(sandbox.path("boot-complete")),
        failedBoot: existsSync(failedMarker) ? readFileSync(failedMarker, "utf8") : undefined,
      };
    });
  }

  test("prepares volumes, etcd and secrets, joins, starts etcd and the timers, marks etcd started, waits for health, then finishes the boot", () => {
    const { run, steps, marker } = mainRun();
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(steps, [
      "step require_tools",
      "step ensure_etcd_user",
      "step prepare_volume vol-0a1b2c3d4e5f60701 etcd-data /data",
      "step prepare_volume vol-0f1e2d3c4b5a69701 etcd-wal /wal",
      "step install_etcd",
      "step fetch_secrets",
      "step join_cluster_if_new",
      "step systemctl daemon-reload",
      "step systemctl enable etcd.service",
      "step systemctl start --no-block etcd.service",
      "step systemctl enable --now etcd-backup.timer etcd-defrag.timer",
      "step systemctl enable --now --no-block etcd-member-metrics.socket etcd-certificate-metrics.timer",
      "step wait_until_healthy (etcd started)",
      "step etcd-finish-boot",
    ]);
    assert.equal(marker, true);
  });

  test("runs no restore step of its own: the join step restores, on a founder only", () => {
    const { run, steps } = mainRun({ restore: true });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!steps.includes("step restore"), steps.join("\n"));
  });

  test("a boot whose health wait gives up (no quorum) leaves etcd marked started, for its health gate to finish, and no completion marker", () => {
    const { run, steps, etcdStarted, marker } = mainRun({ healthy: false });
    assert.equal(run.status, 1);
    assert.equal(steps.at(-1), "step wait_until_healthy (etcd started)");
    assert.deepEqual([etcdStarted, marker], [true, false]);
  });

  test("a boot that stops before starting etcd (a refused join) leaves neither marker, an earlier boot's included", () => {
    const { run, steps, etcdStarted, marker } = mainRun({ joins: false, earlierBoot: true });
    assert.equal(run.status, 1);
    assert.equal(steps.at(-1), "step join_cluster_if_new");
    assert.deepEqual([etcdStarted, marker], [false, false]);
  });

  test("a boot that stops before starting etcd leaves its reason in the failed-boot marker: its last lines, then that nothing runs it again", () => {
    const { run, failedBoot } = mainRun({ joins: false });
    assert.equal(run.status, 1);
    assert.equal(
      failedBoot,
      [
        "join_cluster_if_new: refused, run 'etcd-replace-member && etcd-member-boot'",
        "etcd-member-boot[etcd-test-1]: FAILED (exit 1) before it started etcd; nothing on this instance runs the boot again",
        "",
      ].join("\n"),
    );
    // The boot's output still goes to cloud-init's log.
    assert.match(run.stderr, /join_cluster_if_new: refused, run 'etcd-replace-member && etcd-member-boot'/);
  });

  test("the failed-boot marker keeps at most the boot's last 6 lines and 4000 bytes", () => {
    const { failedBoot } = inSandbox((sandbox) => {
      const noisy = `require_tools() { for i in $(seq 20); do echo "line $i $(head -c 1000 /dev/zero | tr '\\0' x)" >&2; done; return 1; }`;
      runBoot(sandbox, `${noisy}\nmain`, { stubs: { systemctl: "", install: "" } });
      return { failedBoot: readFileSync(sandbox.path("var/lib/etcd/boot-failed"), "utf8") };
    });
    const lines = failedBoot.trimEnd().split("\n");
    const reason = lines.at(-1) ?? "";
    assert.match(reason, /FAILED \(exit 1\) before it started etcd/);
    assert.equal(Buffer.byteLength(failedBoot) - Buffer.byteLength(`${reason}\n`), 4000);
    // Lines 15 to 20, cut to their last 4000 bytes: the end of line 17, then 18 to 20 whole.
    assert.deepEqual(
      lines.slice(1, -1).map((line) => line.slice(0, 8)),
      ["line 18 ", "line 19 ", "line 20 "],
    );
  });

  test("a boot that stops after starting etcd (its health wait gave up) leaves no failed-boot marker: its gate may still finish it", () => {
    const { run, failedBoot } = mainRun({ healthy: false });
    assert.equal(run.status, 1);
    assert.equal(failedBoot, undefined);
  });

  test("a new run of the boot removes an earlier failed-boot marker when it starts", () => {
    const { run, failedBoot, marker } = mainRun({ earlierFailure: true });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual([failedBoot, marker], [undefined, true]);
  });
});
