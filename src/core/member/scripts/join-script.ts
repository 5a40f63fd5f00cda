/**
 * The join step of a member's first boot (join-cluster.sh beside this file): nothing in it is
 * rendered; it reads every member-specific value from the member's own etcd config at run time.
 */
import { memberScriptSource } from "./member-script-source";

/** Where cloud-init installs the join step on every member; the boot script runs it. */
export const JOIN_CLUSTER_SCRIPT_PATH = "/usr/local/sbin/etcd-join-cluster";

/** The join step (bash): join-cluster.sh with member-config-lib.sh inlined. */
export function joinClusterScript(): string {
  return memberScriptSource("join-cluster.sh");
}
