import { gunzipSync, gzipSync, strFromU8, strToU8 } from "fflate";
import { stringify } from "yaml";
import type { OsImage } from "../config/types";
import { BACKUP_SCRIPT_PATH, BACKUP_SERVICE_NAME, BACKUP_TIMER_NAME, type BackupUnits } from "./backup-units";
import { BOOT_SCRIPT_PATH, renderBootScript, type BootScriptInput } from "./boot-script";
import { DEFRAG_SCRIPT_PATH, DEFRAG_SERVICE_NAME, DEFRAG_TIMER_NAME } from "./defrag-units";
import { JOIN_CLUSTER_SCRIPT_PATH, joinClusterScript } from "./join-script";
import { MEMBER_METRICS_SCRIPT_PATH } from "./member-metrics";
import {
  CERTIFICATE_METRICS_SERVICE_NAME,
  CERTIFICATE_METRICS_TIMER_NAME,
  MEMBER_METRICS_SERVICE_TEMPLATE_NAME,
  MEMBER_METRICS_SOCKET_NAME,
  type MemberMetricsUnits,
} from "./member-metrics-units";
import { ETCD_CONFIG_FILE } from "./paths";
import { REPLACE_MEMBER_SCRIPT_PATH, replaceMemberScript } from "./replace-member-script";
import { RESTORE_SCRIPT_PATH } from "./restore-script";
import { ETCD_UNIT_NAME } from "./systemd";
import type { TimedJobUnits } from "./timed-job-units";

/** EC2 refuses user data above 16 KiB (the bytes it stores, before base64). */
export const MAX_USER_DATA_BYTES = 16384;

/** Everything a member's user data holds. No secret: the boot script reads keys from SSM. */
export interface MemberBootInput extends Omit<BootScriptInput, "restoresSnapshot"> {
  /** The image's operating system; decides which packages cloud-init installs first. */
  readonly osImage: OsImage;
  /** The member's etcd configuration file (etcd-config.ts). */
  readonly etcdConfigYaml: string;
  /** The etcd systemd unit (systemd.ts). */
  readonly unit: string;
  /** The member's backup script (backup-script.ts), run by the backup units. */
  readonly backupScript: string;
  /** The backup service and timer (backup-units.ts). */
  readonly backupUnits: BackupUnits;
  /** The member's defrag script (defrag-script.ts), run by the defrag units. */
  readonly defragScript: string;
  /** The defrag service and timer (defrag-units.ts), in the member's own slot. */
  readonly defragUnits: TimedJobUnits;
  /** The member's metrics script (member-metrics.ts): the endpoint on port 2382 and the CloudWatch publication. */
  readonly memberMetricsScript: string;
  /** Its socket, per-connection service and hourly publication (member-metrics-units.ts). */
  readonly memberMetricsUnits: MemberMetricsUnits;
  /**
   * The restore script (restore-script.ts) when the cluster starts from a snapshot; the boot script
   * then runs it before etcd starts. Absent: no restore step.
   */
  readonly restoreScript?: string;
  /**
   * `certificatesFingerprint` (certificates-fingerprint.ts) of the certificates the member fetches
   * from SSM at boot, rendered as a comment. The boot script fetches them only once, so this line
   * is what makes a renewal reach the member: a re-issued certificate changes the user data, and
   * `userDataReplaceOnChange` replaces the instance. Replacement, not an in-place re-fetch, because
   * it is a restart (same ENI, volumes and member ID, one member at a time behind the health gates),
   * renewals come once per validity period, and only a restart makes etcd read a new CA (its
   * trusted CA pool is built at start-up; leaf files are re-read per handshake: ETCD-FACTS.md
   * "Rotation"). A re-issued CA still breaks the rollout: the first replaced member trusts only the
   * new CA while its peers trust only the old one; that needs a staged old+new CA bundle.
   */
  readonly certificatesFingerprint: string;
}

/** One `write_files` entry: plain text, as the instance receives it once cloud-init unpacks the user data. */
function file(path: string, permissions: "0644" | "0755", content: string) {
  return { path, owner: "root:root", permissions, content };
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
 * The member's `#cloud-config`: writes the etcd config, the etcd, backup, defrag and member-metrics
 * units, the backup, defrag and member-metrics scripts, the restore script when the cluster starts from a snapshot, the member replacement
 * procedure (replace-member.sh), the join step (join-cluster.sh) and the boot script, then runs
 * the boot script as the single runcmd entry. Plain text throughout; `packUserData` compresses it
 * for EC2.
 * runcmd runs its entries as one /bin/sh script without `set -e`, so the whole boot is one command
 * whose own `set -e` stops at the first failure. Disks are prepared by the boot script, never by
 * cloud-init's `disk_setup`/`fs_setup`, which format a raw device without looking for an existing
 * filesystem (ETCD-FACTS.md).
 */
export function renderMemberCloudInit(input: MemberBootInput): string {
  if (!/^sha256:[0-9a-f]{64}$/.test(input.certificatesFingerprint)) {
    throw new Error(`certificatesFingerprint must be sha256:<64 hex digits>, got ${JSON.stringify(input.certificatesFingerprint)}`);
  }
  const packages = packagesFor(input.osImage);
  const restoresSnapshot = input.restoreScript !== undefined;
  const cloudConfig = {
    ...(packages.length > 0 ? { package_update: true, packages } : {}),
    write_files: [
      file(ETCD_CONFIG_FILE, "0644", input.etcdConfigYaml),
      file(`/etc/systemd/system/${ETCD_UNIT_NAME}`, "0644", input.unit),
      file(`/etc/systemd/system/${BACKUP_SERVICE_NAME}`, "0644", input.backupUnits.service),
      file(`/etc/systemd/system/${BACKUP_TIMER_NAME}`, "0644", input.backupUnits.timer),
      file(BACKUP_SCRIPT_PATH, "0755", input.backupScript),
      file(`/etc/systemd/system/${DEFRAG_SERVICE_NAME}`, "0644", input.defragUnits.service),
      file(`/etc/systemd/system/${DEFRAG_TIMER_NAME}`, "0644", input.defragUnits.timer),
      file(DEFRAG_SCRIPT_PATH, "0755", input.defragScript),
      file(`/etc/systemd/system/${MEMBER_METRICS_SOCKET_NAME}`, "0644", input.memberMetricsUnits.socket),
      file(`/etc/systemd/system/${MEMBER_METRICS_SERVICE_TEMPLATE_NAME}`, "0644", input.memberMetricsUnits.serviceTemplate),
      file(`/etc/systemd/system/${CERTIFICATE_METRICS_SERVICE_NAME}`, "0644", input.memberMetricsUnits.publication.service),
      file(`/etc/systemd/system/${CERTIFICATE_METRICS_TIMER_NAME}`, "0644", input.memberMetricsUnits.publication.timer),
      file(MEMBER_METRICS_SCRIPT_PATH, "0755", input.memberMetricsScript),
      ...(input.restoreScript === undefined ? [] : [file(RESTORE_SCRIPT_PATH, "0755", input.restoreScript)]),
      file(REPLACE_MEMBER_SCRIPT_PATH, "0755", replaceMemberScript()),
      file(JOIN_CLUSTER_SCRIPT_PATH, "0755", joinClusterScript()),
      file(BOOT_SCRIPT_PATH, "0755", renderBootScript({ ...input, restoresSnapshot })),
    ],
    runcmd: [[BOOT_SCRIPT_PATH]],
  };
  const header =
    `#cloud-config\n` +
    `# etcd member ${input.memberName} (etcd ${input.etcd.version}, ${input.etcd.arch}, ${input.osImage}); ` +
    `rendered by etcd-cluster. No secrets: TLS keys come from SSM at boot.\n` +
    `# certificates: ${input.certificatesFingerprint}\n`;
  return header + stringify(cloudConfig, { lineWidth: 0, blockQuote: "literal" });
}

/**
 * The user data EC2 receives (`userDataBase64`): the cloud-config gzip-compressed, which cloud-init
 * recognises and unpacks itself. Compressed, because the scripts make the cloud-config about twice
 * EC2's 16 KiB limit; compressing the whole document rather than each script (`write_files`
 * `encoding: gz+b64`) is what makes it fit: per-file compression with base64 on top still exceeds
 * the limit for a 3-member cluster that restores from a snapshot. `npm run plan` shows the
 * unpacked cloud-config per member.
 *
 * fflate (pinned in package.json), not node:zlib: the user data is part of the instance's identity
 * (`userDataReplaceOnChange`), and zlib's compressed bytes differ between Node builds and platforms,
 * which would replace every member for nothing. fflate is pure JavaScript, so the same document
 * gives the same bytes everywhere; `mtime: 0` keeps the time out of the gzip header.
 */
export function packUserData(memberName: string, cloudConfig: string): string {
  const packed = gzipSync(strToU8(cloudConfig), { level: 9, mtime: 0 });
  if (packed.byteLength > MAX_USER_DATA_BYTES) {
    throw new Error(`user data of ${memberName} is ${packed.byteLength} bytes compressed; EC2 accepts at most ${MAX_USER_DATA_BYTES}`);
  }
  return Buffer.from(packed).toString("base64");
}

/** The header line naming the member's release, as every version of this program rendered it (see above). */
const RELEASE_IN_HEADER = /^# etcd member \S+ \(etcd (\d+\.\d+\.\d+), /m;

/**
 * The etcd release a member's user data (`userDataBase64`, as packUserData packs it) installs, read
 * from its cloud-config header; undefined for user data this program did not render.
 */
export function etcdReleaseOfUserData(userDataBase64: string): string | undefined {
  let cloudConfig: string;
  try {
    cloudConfig = strFromU8(gunzipSync(Buffer.from(userDataBase64, "base64")));
  } catch {
    return undefined;
  }
  return cloudConfig.startsWith("#cloud-config\n") ? RELEASE_IN_HEADER.exec(cloudConfig)?.[1] : undefined;
}
