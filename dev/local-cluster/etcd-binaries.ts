/**
 * The real etcd 3.5 binaries the drills run: scripts/fetch-etcd.sh prints their directory (its
 * cache, or ETCD_BIN_DIR when set). By default Debian's newest 3.5 (3.5.30); the upgrade drill
 * also asks for the older release it upgrades from.
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

const cached = new Map<string, EtcdBinaries>();

/**
 * Locates (and on first use downloads) the binaries of `version` (one scripts/fetch-etcd.sh can
 * fetch), or the default release; the result is cached for the process.
 */
export function etcdBinaries(version?: string): EtcdBinaries {
  const key = version ?? "default";
  let binaries = cached.get(key);
  if (binaries === undefined) {
    const args = version === undefined ? [] : [version];
    const fetch = join(REPO_ROOT, "scripts/fetch-etcd.sh");
    const binDir = execFileSync(fetch, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    binaries = { binDir, etcd: join(binDir, "etcd"), etcdctl: join(binDir, "etcdctl"), etcdutl: join(binDir, "etcdutl") };
    cached.set(key, binaries);
  }
  return binaries;
}

/** The repository root, for scripts the drills run. */
export function repoPath(...segments: string[]): string {
  return join(REPO_ROOT, ...segments);
}
