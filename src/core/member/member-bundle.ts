import { createHash } from "node:crypto";
import { gzipSync } from "fflate";
import { createTar } from "nanotar";
import type { MemberFile } from "./member-files";

/** A member's files as one archive, and the SHA-256 the member's user data pins it with. */
export interface MemberBundle {
  /** A gzip-compressed ustar archive of the member's files, paths relative to `/`. */
  readonly archive: Uint8Array;
  /** Lower-case hex SHA-256 of `archive`. */
  readonly sha256: string;
}

/** The file extension of a bundle: what `tar -xzf` unpacks on Amazon Linux 2023 and Debian 13 alike. */
export const MEMBER_BUNDLE_EXTENSION = "tar.gz";

/** ustar's name field holds 100 bytes, NUL-terminated when shorter; nanotar cuts longer names silently. */
const MAX_ARCHIVE_NAME_BYTES = 99;

/**
 * The member's files packed as a gzip-compressed tar archive. The bytes are the member's identity:
 * the user data pins their SHA-256, and a changed digest replaces the instance
 * (`userDataReplaceOnChange`). So the same files give the same bytes on every machine and Node
 * build: both libraries are pure JavaScript and pinned exactly in package.json (nanotar writes the
 * tar, fflate the gzip; node:zlib's output differs between builds), every header field is fixed
 * (owner 0:0 root, mtime 0: the bootstrap unpacks with `--touch` and `--no-same-owner`), the gzip
 * header carries no time, and the files keep their given order. Only file entries: the host's
 * directories (/etc, /usr/local/sbin) keep their own modes and owners.
 */
export function packMemberBundle(files: readonly MemberFile[]): MemberBundle {
  const entries = files.map((file) => {
    if (!file.path.startsWith("/") || file.path.split("/").includes("..")) {
      throw new Error(`member file path ${file.path} must be absolute, without ..`);
    }
    const name = file.path.slice(1);
    if (Buffer.byteLength(name) > MAX_ARCHIVE_NAME_BYTES) {
      throw new Error(`member file path ${file.path} is longer than a tar header holds (${MAX_ARCHIVE_NAME_BYTES} bytes)`);
    }
    return {
      name,
      data: file.content,
      attrs: { mode: file.mode, uid: 0, gid: 0, user: "root", group: "root", mtime: 0 },
    };
  });
  const archive = gzipSync(createTar(entries), { level: 9, mtime: 0 });
  return { archive, sha256: createHash("sha256").update(archive).digest("hex") };
}

/** The S3 key prefix of every member's bundles in the backup bucket. */
export function clusterBundlesPrefix(clusterName: string): string {
  return `${clusterName}/members/`;
}

/** The S3 key prefix of a member's bundles: the member role may read below it and nothing else there. */
export function memberBundlePrefix(clusterName: string, memberName: string): string {
  return `${clusterBundlesPrefix(clusterName)}${memberName}/`;
}

/**
 * The S3 key of a member's bundle, named by its digest: a changed bundle is a new object, so an
 * instance booting while a rollout uploads never reads a half-replaced one, and the key alone
 * says which files a member booted with.
 */
export function memberBundleKey(clusterName: string, memberName: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`bundle sha256 must be 64 hex digits, got ${JSON.stringify(sha256)}`);
  return `${memberBundlePrefix(clusterName, memberName)}bundle-${sha256}.${MEMBER_BUNDLE_EXTENSION}`;
}
