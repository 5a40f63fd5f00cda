/**
 * The one place the e2e harness changes what the program rendered: host paths. A member's etcd
 * config names directories and files of a real host (`/var/lib/etcd/...`, `/etc/etcd/pki/...`);
 * on the test machine each member gets a temp root instead, and host path P becomes `<root>/P`.
 * Only the keys below are rewritten; every other key, and every certificate, is used as rendered.
 * The rendered scripts a member runs (backup, restore) get the same mapping: mapScriptHostPaths.
 */
import { isAbsolute, join } from "node:path";
import { parseDocument } from "yaml";

/** Top-level keys naming a directory: `data-dir`, `wal-dir`. */
const DIRECTORY_KEYS = ["data-dir", "wal-dir"] as const;
/** Sections holding TLS file paths, and the file keys etcd reads in them. */
const TRANSPORT_SECTIONS = ["client-transport-security", "peer-transport-security"] as const;
const TLS_FILE_KEYS = ["cert-file", "key-file", "trusted-ca-file", "client-cert-file", "client-key-file"] as const;

/** Where host path `hostPath` lives under a member's temp `root`: `<root>/<hostPath>`. */
export function mapHostPath(root: string, hostPath: string): string {
  if (!isAbsolute(hostPath)) throw new Error(`host path ${hostPath} is not absolute`);
  return join(root, hostPath);
}

/** Key paths (as YAML paths) of every host path set in a config, in file order of the lists above. */
export function hostPathKeys(config: string): string[][] {
  const document = parseDocument(config);
  const candidates = [...DIRECTORY_KEYS.map((key) => [key]), ...TRANSPORT_SECTIONS.flatMap((section) => TLS_FILE_KEYS.map((key) => [section, key]))];
  return candidates.filter((keyPath) => typeof document.getIn(keyPath) === "string");
}

/**
 * Rewrites the host paths of a rendered etcd config (data dir, WAL dir, TLS files) to live under
 * `root`, leaving everything else of the file as it was.
 */
export function mapHostPaths(renderedConfig: string, root: string): string {
  const document = parseDocument(renderedConfig);
  for (const keyPath of hostPathKeys(renderedConfig)) {
    document.setIn(keyPath, mapHostPath(root, String(document.getIn(keyPath))));
  }
  return document.toString({ lineWidth: 0 });
}

/**
 * A constant of a rendered script holding an absolute host path: the renderers put every host path
 * a script uses into one `readonly NAME='/…'` line (shell-quote.ts quoting) at its top.
 */
const SCRIPT_HOST_PATH_CONSTANT = /^(readonly [A-Z_]+=')(\/[^']*)'$/gm;

/**
 * Rewrites the host paths of a rendered script (its `readonly NAME='/…'` constants) to live under
 * `root`, leaving every other byte as rendered; URIs, names and relative values are untouched.
 */
export function mapScriptHostPaths(renderedScript: string, root: string): string {
  return renderedScript.replace(SCRIPT_HOST_PATH_CONSTANT, (_line, head: string, hostPath: string) => `${head}${mapHostPath(root, hostPath)}'`);
}

/** A string value of a config (after mapping or not), or an error naming the key. */
export function configValue(config: string, ...keyPath: string[]): string {
  const value = parseDocument(config).getIn(keyPath);
  if (typeof value !== "string") throw new Error(`etcd config has no string at ${keyPath.join(".")}`);
  return value;
}
