/**
 * The member replacement procedure (replace-member.sh beside this file): the one copy of it. Kept
 * as a plain shell file, not a template, because nothing in it is rendered: it reads every
 * member-specific value from the member's own etcd config at run time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Where cloud-init installs the procedure on every member. */
export const REPLACE_MEMBER_SCRIPT_PATH = "/usr/local/sbin/etcd-replace-member";

/** The procedure's source file. */
const REPLACE_MEMBER_SOURCE = join(__dirname, "replace-member.sh");

/** The replacement procedure (bash), byte for byte as in replace-member.sh. */
export function replaceMemberScript(): string {
  return readFileSync(REPLACE_MEMBER_SOURCE, "utf8");
}
