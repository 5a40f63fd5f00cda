/**
 * The boot's volume preparation on real block devices: each volume is a sparse file behind a loop
 * device, probed by the real blkid, read by the real dd and formatted by the real mkfs.xfs (through
 * a stand-in that logs the call first). Only lsblk (it names the loop device as the volume's NVMe
 * serial would), mount and chown are stand-ins. Needs root (losetup).
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { inSandbox, type ScriptSandbox } from "../../support/script-sandbox";

const BOOT_SH = join(__dirname, "../../../src/core/member/scripts/boot.sh");
const VOLUME_ID = "vol-0a1b2c3d4e5f60701";
const MiB = 1024 ** 2;

/** True when loop devices can be made here; otherwise skips (fails under CI, where the host drill needs them too). */
function loopDevicesAvailable(t: TestContext): boolean {
  if (process.getuid?.() === 0 && spawnSync("losetup", ["--version"]).error === undefined) return true;
  const reason = "loop devices need root and losetup";
  if (process.env.CI) throw new Error(`${reason}: required under CI`);
  t.skip(reason);
  return false;
}

/** A sparse file of `bytes` bytes, `content` written at `offset`. */
function volumeFile(sandbox: ScriptSandbox, bytes: number, content?: { offset: number; data: string }): string {
  const path = sandbox.path("volume.img");
  const fd = openSync(path, "w");
  ftruncateSync(fd, bytes);
  if (content !== undefined) writeSync(fd, content.data, content.offset);
  closeSync(fd);
  return path;
}

/** Runs `body` with `file` behind a loop device, detached afterwards. */
function withLoopDevice<T>(file: string, body: (device: string) => T): T {
  const device = execFileSync("losetup", ["--find", "--show", file], { encoding: "utf8" }).trim();
  try {
    return body(device);
  } finally {
    execFileSync("losetup", ["--detach", device]);
  }
}

/** blkid's exit status on `device` and its TYPE/LABEL, probed the way the boot probes. */
function probe(device: string): string {
  const result = spawnSync("blkid", ["-p", "-o", "export", device], { encoding: "utf8" });
  const tags = result.stdout.split("\n").filter((line) => /^(TYPE|LABEL)=/.test(line));
  return [`exit ${result.status}`, ...tags].join(" ");
}

/** prepare_volume on `device`, with `dd` replaced when `dd` is given; returns the run, the fstab and mkfs.xfs's calls. */
function prepareVolume(sandbox: ScriptSandbox, device: string, dd?: string) {
  const mkfs = execFileSync("bash", ["-c", "command -v mkfs.xfs"], { encoding: "utf8" }).trim();
  const fstab = sandbox.file("fstab");
  const run = sandbox.run({
    script: BOOT_SH,
    settings: ["readonly member_name='etcd-test-1' etcd_user='etcd' volume_wait_seconds=5", `readonly fstab='${fstab}'`, `work_dir='${sandbox.directory("work")}'`],
    steps: `prepare_volume ${VOLUME_ID} etcd-data '${sandbox.path("data")}'`,
    stubs: {
      lsblk: `echo '${device.replace("/dev/", "")} ${VOLUME_ID.replace("-", "")}'`,
      "mkfs.xfs": `exec ${mkfs} "$@"`,
      mountpoint: "exit 1",
      mount: "",
      chown: "",
      ...(dd === undefined ? {} : { dd }),
    },
  });
  return { run, fstab: readFileSync(fstab, "utf8"), mkfsCalls: run.calls.filter((call) => call.startsWith("mkfs.xfs ")) };
}

describe("member boot: volume preparation on real block devices", () => {
  test("formats a new volume, which reads as zeros, as XFS with its label and mounts it by UUID", (t) => {
    if (!loopDevicesAvailable(t)) return;
    inSandbox((sandbox) =>
      withLoopDevice(volumeFile(sandbox, 512 * MiB), (device) => {
        assert.equal(probe(device), "exit 2");
        const { run, fstab, mkfsCalls } = prepareVolume(sandbox, device);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(mkfsCalls, [`mkfs.xfs -L etcd-data ${device}`]);
        assert.equal(probe(device), "exit 0 LABEL=etcd-data TYPE=xfs");
        const uuid = execFileSync("blkid", ["-p", "-o", "value", "-s", "UUID", device], { encoding: "utf8" }).trim();
        assert.equal(fstab, `UUID=${uuid} ${sandbox.path("data")} xfs defaults,noatime,nofail 0 0\n`);
      }),
    );
  });

  test("keeps a volume that already holds XFS: a replacement instance never reformats its member's data", (t) => {
    if (!loopDevicesAvailable(t)) return;
    inSandbox((sandbox) =>
      withLoopDevice(volumeFile(sandbox, 512 * MiB), (device) => {
        execFileSync("mkfs.xfs", ["-q", "-L", "etcd-data", device]);
        const uuid = execFileSync("blkid", ["-p", "-o", "value", "-s", "UUID", device], { encoding: "utf8" }).trim();
        const { run, mkfsCalls } = prepareVolume(sandbox, device);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(mkfsCalls, []);
        assert.equal(execFileSync("blkid", ["-p", "-o", "value", "-s", "UUID", device], { encoding: "utf8" }).trim(), uuid);
      }),
    );
  });

  test("refuses a device that reads back nothing, though blkid reports it as blank (exit 2)", (t) => {
    if (!loopDevicesAvailable(t)) return;
    inSandbox((sandbox) =>
      // A loop device over an empty file: 0 bytes, as a device whose medium is gone.
      withLoopDevice(volumeFile(sandbox, 0), (device) => {
        assert.equal(probe(device), "exit 2");
        const { run, mkfsCalls } = prepareVolume(sandbox, device);
        assert.equal(run.status, 1);
        assert.deepEqual(mkfsCalls, []);
        assert.match(run.stderr, new RegExp(`${VOLUME_ID} \\(${device}\\) returned 0 of its first 1048576 bytes: refusing to format it`));
      }),
    );
  });

  test("refuses a device whose read fails, though blkid reports it as blank (exit 2), and leaves it untouched", (t) => {
    if (!loopDevicesAvailable(t)) return;
    inSandbox((sandbox) =>
      withLoopDevice(volumeFile(sandbox, 512 * MiB), (device) => {
        // The read error of a failing disk, which this machine cannot make (no device-mapper): dd fails as it would.
        const failingRead = `echo "dd: error reading '${device}': Input/output error" >&2; exit 1`;
        const { run, mkfsCalls } = prepareVolume(sandbox, device, failingRead);
        assert.equal(run.status, 1);
        assert.deepEqual(mkfsCalls, []);
        assert.match(run.stderr, /cannot be read: dd: error reading .*: Input\/output error; refusing to format it/);
        assert.equal(probe(device), "exit 2");
      }),
    );
  });

  test("refuses a device holding data blkid does not recognise, and leaves the data in place", (t) => {
    if (!loopDevicesAvailable(t)) return;
    inSandbox((sandbox) => {
      const file = volumeFile(sandbox, 512 * MiB, { offset: 8192, data: "etcd data of an unknown format" });
      withLoopDevice(file, (device) => {
        assert.equal(probe(device), "exit 2");
        const { run, mkfsCalls } = prepareVolume(sandbox, device);
        assert.equal(run.status, 1);
        assert.deepEqual(mkfsCalls, []);
        assert.match(run.stderr, /holds data blkid does not recognise \(30 non-zero bytes in its first MiB\): refusing to format it/);
      });
      assert.equal(readFileSync(file).subarray(8192, 8222).toString(), "etcd data of an unknown format");
    });
  });
});
