/**
 * What `npm run try` needs from the machine, checked before anything is created so that a missing
 * piece is one clear sentence rather than a failure halfway through the boot.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { repoPath } from "../local-cluster/etcd-binaries";

/** Where scripts/fetch-etcd.sh caches its default release (Debian's 3.5.30) when ETCD_BIN_DIR is not set. */
const FETCHED_ETCD_DIR = repoPath(".cache/etcd/3.5.30/bin");

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every reason the machine cannot boot the cluster; empty when it can. */
export function missingPreconditions(): string[] {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) {
    problems.push("run as root (e.g. sudo bash scripts/try.sh): each member gets its own network namespace (ip netns)");
  }
  if (spawnSync("ip", ["-V"]).error !== undefined) {
    problems.push("the `ip` command is missing: apt-get install iproute2 (scripts/try.sh does it for you)");
  }
  const etcdDir = process.env["ETCD_BIN_DIR"] || FETCHED_ETCD_DIR;
  const absent = ["etcd", "etcdctl", "etcdutl"].filter((tool) => !isExecutable(join(etcdDir, tool)));
  if (absent.length > 0) {
    problems.push(`no ${absent.join(", ")} in ${etcdDir}: run scripts/fetch-etcd.sh (or bash scripts/try.sh, which runs it)`);
  }
  return problems;
}
