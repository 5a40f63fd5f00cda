/**
 * The member replacement procedure (replace-member.sh beside this file): the one copy of it. Kept
 * as a plain shell file, not a template, because nothing in it is rendered: it reads every
 * member-specific value from the member's own etcd config at run time.
 */
import { memberScriptSource } from "./member-script-source";

/** The replacement procedure (bash): replace-member.sh with member-config-lib.sh inlined. */
export function replaceMemberScript(): string {
  return memberScriptSource("replace-member.sh");
}
