/**
 * The join step of a member's first boot (join-cluster.sh beside this file): nothing in it is
 * rendered; it reads every member-specific value from the member's own etcd config at run time.
 */
import { memberScriptSource } from "./member-script-source";

/** The join step (bash): join-cluster.sh with member-config-lib.sh inlined. */
export function joinClusterScript(): string {
  return memberScriptSource("join-cluster.sh");
}
