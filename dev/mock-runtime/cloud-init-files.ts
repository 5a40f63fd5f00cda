/**
 * Reads back what a member's user data holds: the `#cloud-config` (base64 in `userDataBase64`),
 * the files of its `write_files`, and the bootstrap's arguments (which bundle, which digest).
 * Shared by the plan, the graph tests and the e2e harness (received-files.ts adds the bundle).
 */
import { parse } from "yaml";

/** One file a member's host receives, from the user data's `write_files` or from its bundle. */
export interface InstalledFile {
  /** Absolute path on the instance. */
  readonly path: string;
  /** Octal mode as four digits, e.g. "0644"; cloud-init's default is 0644. */
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

/**
 * The cloud-config in an instance's `userDataBase64` (src/core/member/cloud-init.ts
 * `encodeUserData`), or undefined when it holds something else.
 */
export function decodedCloudConfig(userDataBase64: string): string | undefined {
  const text = Buffer.from(userDataBase64, "base64").toString("utf8");
  return isCloudConfig(text) ? text : undefined;
}

/** The cloud-config in an instance's `userDataBase64`; fails when it holds none. */
export function memberCloudConfig(userDataBase64: string): string {
  const cloudConfig = decodedCloudConfig(userDataBase64);
  if (cloudConfig === undefined) throw new Error("userDataBase64 is not a base64-encoded #cloud-config");
  return cloudConfig;
}

/** The `write_files` entries of a `#cloud-config` user data, in order. */
export function cloudInitFiles(userData: string): readonly InstalledFile[] {
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

/** The bundle a member's bootstrap downloads, as its runcmd names it. */
export interface BundleReference {
  /** `s3://<bucket>/<key>`. */
  readonly uri: string;
  /** The key part of `uri`. */
  readonly key: string;
  /** The hex SHA-256 the bootstrap requires. */
  readonly sha256: string;
}

/** The `--bundle` and `--sha256` arguments of the user data's runcmd; fails when it has none. */
export function bundleReference(userData: string): BundleReference {
  const document = parse(userData) as { readonly runcmd?: readonly (readonly string[])[] } | null;
  const command = document?.runcmd?.[0] ?? [];
  const argument = (flag: string) => {
    const index = command.indexOf(flag);
    if (index === -1 || index + 1 >= command.length) throw new Error(`the user data's runcmd has no ${flag} argument`);
    return command[index + 1];
  };
  const uri = argument("--bundle");
  const match = /^s3:\/\/[^/]+\/(.+)$/.exec(uri);
  if (match === null) throw new Error(`--bundle ${uri} is not an s3://bucket/key URI`);
  return { uri, key: match[1], sha256: argument("--sha256") };
}
