/**
 * What a crashed host drill leaves behind inside its temp dirs (named for its dead process, see
 * local-cluster/cleanup.ts): running instances, overlay mounts and loop devices. Removed here
 * before sweepLeftovers deletes those dirs and the namespaces.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLeftover } from "../local-cluster/cleanup";
import { childPids, killQuietly, readProcText } from "./proc-files";

export function sweepHostLeftovers(): void {
  const dirs = readdirSync(tmpdir())
    .filter(isLeftover)
    .map((entry) => join(tmpdir(), entry));
  if (dirs.length === 0) return;
  const inside = (path: string) => dirs.some((dir) => path.startsWith(`${dir}/`));
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    const argv = readProcText(`/proc/${pid}/cmdline`).split("\0");
    if (!argv[0]?.endsWith("systemd-nspawn") || !argv.some((arg) => arg.startsWith("--directory=") && inside(arg.slice("--directory=".length)))) continue;
    console.log(`host drill: stopping instance ${pid} left by an earlier run`);
    // The container's systemd first: killing it ends every process of the container.
    for (const child of childPids(Number(pid))) killQuietly(child);
    killQuietly(Number(pid));
  }
  for (const mountPoint of readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1] ?? "")) {
    if (inside(mountPoint)) execFileSync("umount", ["--lazy", mountPoint]);
  }
  const { loopdevices = [] } = JSON.parse(execFileSync("losetup", ["--list", "--json", "--output", "NAME,BACK-FILE"], { encoding: "utf8" }) || "{}") as {
    loopdevices?: { name: string; "back-file": string }[];
  };
  for (const loop of loopdevices) {
    if (inside(loop["back-file"].replace(/ \(deleted\)$/, ""))) execFileSync("losetup", ["--detach", loop.name]);
  }
}
