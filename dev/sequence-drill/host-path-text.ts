/**
 * The sequence drill runs whole rendered scripts (the boot script, the join script it calls, the
 * commands SSM sends), not one `readonly` constant at a time as host-paths.ts maps them: every host
 * path under the member's own directories (`/var/lib/etcd`, `/etc/etcd`, `/usr/local/sbin`,
 * `/usr/local/bin`) becomes `<root>/<path>` wherever it stands as a path (after a quote, `=`, a
 * space or a line start). Nothing else of the text changes. The member removal ships its script as
 * base64 (`echo <base64> | base64 -d | … bash -s`): that payload is decoded, mapped and encoded again.
 */
import { mapHostPath } from "../local-cluster/host-paths";

/** The host directories that belong to a member (src/core/member/ports-and-paths.ts: volumes, config and certificates, scripts, binaries). */
const MEMBER_HOST_DIRS = ["/var/lib/etcd", "/etc/etcd", "/usr/local/sbin", "/usr/local/bin"] as const;

const HOST_PATH = new RegExp(`(^|['"= :])(${MEMBER_HOST_DIRS.map((dir) => dir.replaceAll("/", "\\/")).join("|")})(?=[/'"\\s:;)]|$)`, "gm");
const BASE64_PAYLOAD = /(echo )([A-Za-z0-9+/]{40,}={0,2})( \| base64 -d)/g;

/** `text` with every member host path mapped under `root`. */
export function mapMemberHostPaths(text: string, root: string): string {
  const mapped = text.replace(HOST_PATH, (_match, before: string, dir: string) => `${before}${mapHostPath(root, dir)}`);
  return mapped.replace(BASE64_PAYLOAD, (_match, echo: string, payload: string, decode: string) => {
    const script = Buffer.from(payload, "base64").toString("utf8");
    return `${echo}${Buffer.from(mapMemberHostPaths(script, root), "utf8").toString("base64")}${decode}`;
  });
}
