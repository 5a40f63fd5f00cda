/**
 * Reads back what a member's user data installs: the files of its `#cloud-config` `write_files`,
 * and the etcd configuration among them. Shared by the plan and the graph tests, which judge the
 * rendered etcd config exactly as the instance would receive it.
 */
import { parse } from "yaml";
import { ETCD_CONFIG_FILE } from "../../components/etcd/paths";

/** One `write_files` entry. */
export interface CloudInitFile {
  /** Absolute path on the instance. */
  readonly path: string;
  /** Octal mode as written, e.g. "0644"; cloud-init's default is 0644. */
  readonly permissions: string;
  /** Decoded content. */
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

/** The etcd configuration file the user data installs (`--config-file`), as text. */
export function etcdConfigText(userData: string): string {
  const file = cloudInitFiles(userData).find((entry) => entry.path === ETCD_CONFIG_FILE);
  if (file === undefined) throw new Error(`user data writes no ${ETCD_CONFIG_FILE}`);
  return file.content;
}

/** The etcd configuration file parsed: keys are etcd's flag names. */
export function etcdConfigOf(userData: string): Readonly<Record<string, unknown>> {
  return parse(etcdConfigText(userData)) as Record<string, unknown>;
}
