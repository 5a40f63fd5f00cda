import { stringify } from "yaml";
import type { OsImage } from "../config/types";
import { BOOT_SCRIPT_PATH, renderBootScript, type BootScriptInput } from "./boot-script";
import { ETCD_CONFIG_FILE } from "./paths";
import { ETCD_UNIT_NAME } from "./systemd";

/** EC2 refuses user data above 16 KiB (before base64); it stays uncompressed so previews show it. */
export const MAX_USER_DATA_BYTES = 16384;

/** Everything a member's user data holds. No secret: the boot script reads keys from SSM. */
export interface MemberBootInput extends BootScriptInput {
  /** The image's operating system; decides which packages cloud-init installs first. */
  readonly osImage: OsImage;
  /** The member's etcd configuration file (etcd-config.ts). */
  readonly etcdConfigYaml: string;
  /** The etcd systemd unit (systemd.ts). */
  readonly unit: string;
}

/** Packages the boot script needs that the image lacks. */
function packagesFor(osImage: OsImage): readonly string[] {
  switch (osImage) {
    // AL2023 ships the AWS CLI v2, xfsprogs and curl-minimal (installing `curl` would conflict with it).
    case "al2023":
      return [];
    case "debian13":
      return ["awscli", "xfsprogs", "curl"];
    default: {
      const unknown: never = osImage;
      throw new Error(`unsupported OS image ${String(unknown)}`);
    }
  }
}

/**
 * The member's user data: `#cloud-config` that writes the etcd config, the unit and the boot script,
 * then runs the boot script as the single runcmd entry. runcmd runs its entries as one /bin/sh script
 * without `set -e`, so the whole boot is one command whose own `set -e` stops at the first failure.
 * Disks are prepared by the boot script, never by cloud-init's `disk_setup`/`fs_setup`, which format a
 * raw device without looking for an existing filesystem (ETCD-FACTS.md).
 */
export function renderMemberCloudInit(input: MemberBootInput): string {
  const packages = packagesFor(input.osImage);
  const cloudConfig = {
    ...(packages.length > 0 ? { package_update: true, packages } : {}),
    write_files: [
      { path: ETCD_CONFIG_FILE, owner: "root:root", permissions: "0644", content: input.etcdConfigYaml },
      { path: `/etc/systemd/system/${ETCD_UNIT_NAME}`, owner: "root:root", permissions: "0644", content: input.unit },
      { path: BOOT_SCRIPT_PATH, owner: "root:root", permissions: "0755", content: renderBootScript(input) },
    ],
    runcmd: [[BOOT_SCRIPT_PATH]],
  };
  const header =
    `#cloud-config\n` +
    `# etcd member ${input.memberName} (etcd ${input.etcd.version}, ${input.etcd.arch}, ${input.osImage}); ` +
    `rendered by etcd-cluster. No secrets: TLS keys come from SSM at boot.\n`;
  const userData = header + stringify(cloudConfig, { lineWidth: 0, blockQuote: "literal" });
  const bytes = Buffer.byteLength(userData, "utf8");
  if (bytes > MAX_USER_DATA_BYTES) {
    throw new Error(`user data of ${input.memberName} is ${bytes} bytes; EC2 accepts at most ${MAX_USER_DATA_BYTES}`);
  }
  return userData;
}
