/**
 * The real etcd 3.5 binaries the drills run: scripts/fetch-etcd.sh prints their directory (its
 * cache, or ETCD_BIN_DIR when set).
 */
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";

/** Absolute paths of etcd, etcdctl and etcdutl. */
export interface EtcdBinaries {
  /** The directory holding all three. */
  readonly binDir: string;
  readonly etcd: string;
  readonly etcdctl: string;
  readonly etcdutl: string;
}

const REPO_ROOT = resolve(__dirname, "../..");

let cached: EtcdBinaries | undefined;

/** Locates (and on first use downloads) the binaries; the result is cached for the process. */
export function etcdBinaries(): EtcdBinaries {
  if (cached === undefined) {
    const binDir = execFileSync(join(REPO_ROOT, "scripts/fetch-etcd.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    cached = { binDir, etcd: join(binDir, "etcd"), etcdctl: join(binDir, "etcdctl"), etcdutl: join(binDir, "etcdutl") };
  }
  return cached;
}

/** The repository root, for scripts the drills run. */
export function repoPath(...segments: string[]): string {
  return join(REPO_ROOT, ...segments);
}
