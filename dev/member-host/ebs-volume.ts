/**
 * An EBS volume: a sparse file behind a loop device, a real block device that mkfs.xfs, blkid and
 * mount handle as on EC2. Attaching it to a member presents it as Nitro does: a device node
 * `/dev/nvme<N>n1` in the member's /dev and udev's `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_<serial>`
 * link to it, the serial being the volume ID without its dash. The member's container runs no udev,
 * so the harness creates both, at the moment it attaches the volume (late, in the order it chooses).
 */
import { execFileSync } from "node:child_process";
import { closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { onCleanup } from "../local-cluster/cleanup";

/** udev's by-id name of an EBS volume on a Nitro instance (the device's model and serial). */
export function nitroByIdName(volumeId: string): string {
  return `nvme-Amazon_Elastic_Block_Store_${volumeId.replace("-", "")}`;
}

export class EbsVolume {
  /** The loop device, e.g. /dev/loop3. */
  readonly loopDevice: string;
  private readonly detach: () => void;

  constructor(
    readonly volumeId: string,
    workDir: string,
    sizeGiB: number,
  ) {
    const file = join(workDir, `${volumeId}.img`);
    const fd = openSync(file, "w");
    ftruncateSync(fd, sizeGiB * 1024 ** 3);
    closeSync(fd);
    this.loopDevice = execFileSync("losetup", ["--find", "--show", file], { encoding: "utf8" }).trim();
    this.detach = onCleanup(() => execFileSync("losetup", ["--detach", this.loopDevice]));
  }

  /**
   * Attaches the volume to the member whose root is `memberRoot` (the container's own root as seen
   * from the host, `/proc/<pid>/root`, so its /dev): the NVMe node and the by-id link.
   */
  attachTo(memberRoot: string, nvmeIndex: number): void {
    const [major = "", minor = ""] = execFileSync("stat", ["--format=%Hr %Lr", this.loopDevice], { encoding: "utf8" }).trim().split(" ");
    const name = `nvme${nvmeIndex}n1`;
    execFileSync("mknod", ["-m", "0660", join(memberRoot, "dev", name), "b", major, minor]);
    mkdirSync(join(memberRoot, "dev/disk/by-id"), { recursive: true });
    symlinkSync(`../../${name}`, join(memberRoot, "dev/disk/by-id", nitroByIdName(this.volumeId)));
  }

  destroy(): void {
    this.detach();
  }
}
