import { gunzipSync, strFromU8 } from "fflate";
import { BOOTSTRAP_SCRIPT_PATH, BOOT_SCRIPT_PATH } from "./ports-and-paths";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { OsImage } from "../config/types";
import type { EtcdReleaseArtifact } from "../etcd/versions";

/** EC2 refuses user data above 16 KiB (the bytes it stores, before base64). */
export const MAX_USER_DATA_BYTES = 16384;

/** The bootstrap as a member receives it: member-bootstrap.sh beside this module, byte for byte. */
export function memberBootstrapScript(): string {
  return readFileSync(join(__dirname, "member-bootstrap.sh"), "utf8");
}

/** What a member's user data holds: where its bundle is and what it must hash to. No secret. */
export interface MemberCloudInitInput {
  /** etcd member name (the header comment). */
  readonly memberName: string;
  /** The image's operating system; decides which packages cloud-init installs first. */
  readonly osImage: OsImage;
  /** The pinned release the bundle's boot script installs (the header comment). */
  readonly etcd: EtcdReleaseArtifact;
  /** AWS region of the bundle's bucket. */
  readonly region: string;
  /** `s3://<bucket>/<key>` of the member's bundle (member-bundle.ts `memberBundleKey`). */
  readonly bundleUri: string;
  /** Hex SHA-256 of the bundle: the bootstrap refuses any other bytes. */
  readonly bundleSha256: string;
  /**
   * `certificatesFingerprint` (certificates-fingerprint.ts) of the certificates the member fetches
   * from SSM at boot, rendered as a comment. The boot script fetches them only once, so this line
   * is what makes a renewal reach the member: a re-issued certificate changes the user data, and
   * `userDataReplaceOnChange` replaces the instance. Replacement, not an in-place re-fetch, because
   * it is a restart (same ENI, volumes and member ID, one member at a time behind the health gates),
   * renewals come once per validity period, and only a restart makes etcd read a new CA (its
   * trusted CA pool is built at start-up; leaf files are re-read per handshake: docs/facts.md
   * "Rotation"). A re-issued CA still breaks the rollout: the first replaced member trusts only the
   * new CA while its peers trust only the old one; that needs a staged old+new CA bundle.
   */
  readonly certificatesFingerprint: string;
}

/** Packages the bootstrap and the boot script need that the image lacks. */
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
 * The member's `#cloud-config`: installs what the image lacks (cloud-init's `packages` run before
 * `runcmd`), writes the bootstrap, and runs it as the single runcmd entry with the bundle's
 * location and digest. Everything else the member gets is in the bundle, so the user data stays a
 * few KiB however many scripts the member has, and still changes whenever one of them does (the
 * digest changes). runcmd runs its entries as one /bin/sh script without `set -e`, so the whole
 * boot is one command whose own `set -e` stops at the first failure. Disks are prepared by the boot
 * script, never by cloud-init's `disk_setup`/`fs_setup`, which format a raw device without looking
 * for an existing filesystem (docs/facts.md).
 */
export function renderMemberCloudInit(input: MemberCloudInitInput): string {
  if (!/^sha256:[0-9a-f]{64}$/.test(input.certificatesFingerprint)) {
    throw new Error(`certificatesFingerprint must be sha256:<64 hex digits>, got ${JSON.stringify(input.certificatesFingerprint)}`);
  }
  if (!/^[0-9a-f]{64}$/.test(input.bundleSha256)) {
    throw new Error(`bundleSha256 must be 64 hex digits, got ${JSON.stringify(input.bundleSha256)}`);
  }
  const packages = packagesFor(input.osImage);
  const cloudConfig = {
    ...(packages.length > 0 ? { package_update: true, packages } : {}),
    write_files: [{ path: BOOTSTRAP_SCRIPT_PATH, owner: "root:root", permissions: "0755", content: memberBootstrapScript() }],
    runcmd: [[BOOTSTRAP_SCRIPT_PATH, "--region", input.region, "--bundle", input.bundleUri, "--sha256", input.bundleSha256, "--boot", BOOT_SCRIPT_PATH]],
  };
  const header =
    `#cloud-config\n` +
    `# etcd member ${input.memberName} (etcd ${input.etcd.version}, ${input.etcd.arch}, ${input.osImage}); ` +
    `rendered by etcd-cluster. No secrets: TLS keys come from SSM at boot.\n` +
    `# certificates: ${input.certificatesFingerprint}\n`;
  return header + stringify(cloudConfig, { lineWidth: 0, blockQuote: "literal" });
}

/**
 * The user data EC2 receives (`userDataBase64`): the cloud-config as is, base64-encoded for the
 * API. Not compressed: with the files in the bundle it is a few KiB (the unit tests hold it to
 * 8 KiB at 7 members with every option), and plain text is what `npm run plan`, the host drill and
 * an operator reading it on the instance see. Throws above EC2's limit: a message naming the
 * member instead of EC2's refusal.
 */
export function encodeUserData(memberName: string, cloudConfig: string): string {
  const bytes = Buffer.byteLength(cloudConfig);
  if (bytes > MAX_USER_DATA_BYTES) {
    throw new Error(`user data of ${memberName} is ${bytes} bytes; EC2 accepts at most ${MAX_USER_DATA_BYTES}`);
  }
  return Buffer.from(cloudConfig, "utf8").toString("base64");
}

/** The header line naming the member's release, as every version of this program rendered it (renderMemberCloudInit). */
const RELEASE_IN_HEADER = /^# etcd member \S+ \(etcd (\d+\.\d+\.\d+), /m;

/**
 * The cloud-config in a member's `userDataBase64`: plain as encodeUserData encodes it, or
 * gzip-compressed as this program sent it while the scripts were inside the user data. Instances
 * launched then still carry that, and the upgrade check reads their release from it (fflate: the
 * same library that packed it). Undefined when the bytes are neither.
 */
function cloudConfigOfUserData(userDataBase64: string): string | undefined {
  const bytes = Buffer.from(userDataBase64, "base64");
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes.toString("utf8");
  try {
    return strFromU8(gunzipSync(bytes));
  } catch {
    return undefined;
  }
}

/**
 * The etcd release a member's user data (`userDataBase64`, from any version of this program)
 * installs, read from its cloud-config header; undefined for user data this program did not render.
 */
export function etcdReleaseOfUserData(userDataBase64: string): string | undefined {
  const cloudConfig = cloudConfigOfUserData(userDataBase64);
  return cloudConfig?.startsWith("#cloud-config\n") ? RELEASE_IN_HEADER.exec(cloudConfig)?.[1] : undefined;
}
