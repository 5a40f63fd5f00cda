/**
 * Reads back what a member's user data installs: the compressed user data unpacked, the files of
 * its `#cloud-config` `write_files`, and the etcd configuration among them. Shared by the plan, the
 * graph tests and the e2e harness, which judge the rendered files exactly as the instance would
 * receive them.
 */
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";
import { ETCD_CONFIG_FILE } from "../../components/etcd/paths";

/** One `write_files` entry. */
export interface CloudInitFile {
  /** Absolute path on the instance. */
  readonly path: string;
  /** Octal mode as written, e.g. "0644"; cloud-init's default is 0644. */
  readonly permissions: string;
  /** Decoded content: what lands in the file on the instance. */
  readonly content: string;
}

interface WriteFilesEntry {
  readonly path: string;
  readonly permissions?: string;
  readonly encoding?: string;
  readonly content?: string;
}

/** True when the user data is cloud-init's cloud-config format. */
export function isCloudConfig(userData: string): boolean {
  return userData.startsWith("#cloud-config\n");
}

/** The gzip magic number (1f 8b 08) in base64: how a `userDataBase64` of compressed user data starts. */
const GZIP_BASE64_PREFIX = "H4sI";

/**
 * The cloud-config inside an instance's `userDataBase64` (gzip-compressed, as cloud-init unpacks
 * it: components/etcd/cloud-init.ts `packUserData`), or undefined when it holds something else.
 */
export function unpackedCloudConfig(userDataBase64: string): string | undefined {
  if (!userDataBase64.startsWith(GZIP_BASE64_PREFIX)) return undefined;
  const text = gunzipSync(Buffer.from(userDataBase64, "base64")).toString("utf8");
  return isCloudConfig(text) ? text : undefined;
}

/** The cloud-config inside an instance's `userDataBase64`; fails when it holds none. */
export function memberCloudConfig(userDataBase64: string): string {
  const cloudConfig = unpackedCloudConfig(userDataBase64);
  if (cloudConfig === undefined) throw new Error("userDataBase64 is not a gzip-compressed #cloud-config");
  return cloudConfig;
}

/** The `write_files` entries of a `#cloud-config` user data, in order. */
export function cloudInitFiles(userData: string): readonly CloudInitFile[] {
  if (!isCloudConfig(userData)) throw new Error("user data is not #cloud-config");
  const document = parse(userData) as { readonly write_files?: readonly WriteFilesEntry[] } | null;
  return (document?.write_files ?? []).map((entry) => ({
    path: entry.path,
    permissions: entry.permissions ?? "0644",
    content: decodeContent(entry),
  }));
}

function decodeContent(entry: WriteFilesEntry): string {
  const content = entry.content ?? "";
  switch (entry.encoding ?? "text/plain") {
    case "text/plain":
      return content;
    case "b64":
    case "base64":
      return Buffer.from(content, "base64").toString("utf8");
    default:
      throw new Error(`${entry.path}: write_files encoding ${entry.encoding} is not supported here`);
  }
}

/** The decoded content of the file the user data installs at `path`; fails when it writes none. */
export function installedFile(userData: string, path: string): string {
  const file = cloudInitFiles(userData).find((entry) => entry.path === path);
  if (file === undefined) throw new Error(`user data writes no ${path}`);
  return file.content;
}

/** The etcd configuration file the user data installs (`--config-file`), as text. */
export function etcdConfigText(userData: string): string {
  return installedFile(userData, ETCD_CONFIG_FILE);
}

/** The etcd configuration file parsed: keys are etcd's flag names. */
export function etcdConfigOf(userData: string): Readonly<Record<string, unknown>> {
  return parse(etcdConfigText(userData)) as Record<string, unknown>;
}
