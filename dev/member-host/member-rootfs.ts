/**
 * A member's root filesystem: an overlay of the cached Debian 13 image (build-rootfs.sh) with a
 * private upper layer, so each instance starts from a fresh image and its changes stay its own.
 * Paths, modes and owners inside it are the real ones: nothing is mapped.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { onCleanup } from "../local-cluster/cleanup";
import { repoPath } from "../local-cluster/etcd-binaries";

let base: string | undefined;

/** The cached image (built on first use: about 1–3 minutes, once per machine). */
export function baseRootfs(): string {
  base ??= execFileSync(repoPath("dev/member-host/build-rootfs.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  return base;
}

export class MemberRootfs {
  /** The merged root the member boots. */
  readonly dir: string;
  private readonly unmount: () => void;

  /** Mounts a fresh overlay under `workDir` (a new, empty upper layer). */
  constructor(workDir: string) {
    const upper = join(workDir, "upper");
    const work = join(workDir, "work");
    this.dir = join(workDir, "root");
    for (const dir of [upper, work, this.dir]) mkdirSync(dir, { recursive: true });
    execFileSync("mount", ["-t", "overlay", "overlay", "-o", `lowerdir=${baseRootfs()},upperdir=${upper},workdir=${work}`, this.dir]);
    this.unmount = onCleanup(() => execFileSync("umount", ["--lazy", this.dir]));
  }

  /** The host path of `path` inside the root. */
  path(path: string): string {
    return join(this.dir, path);
  }

  /** Writes a file inside the root (parents created), owned by root. */
  write(path: string, content: string | Buffer, mode = 0o644): void {
    mkdirSync(dirname(this.path(path)), { recursive: true });
    writeFileSync(this.path(path), content);
    chmodSync(this.path(path), mode);
  }

  destroy(): void {
    this.unmount();
  }
}
