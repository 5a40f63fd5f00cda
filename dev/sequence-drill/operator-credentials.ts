/**
 * The operator's etcdctl during a story: from the hub namespace, with the admin credentials of the
 * stack outputs. A CA renewal gives new ones while members may still trust only the old CA, so the
 * operator keeps those of every rendering and uses the newest that works.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TlsIdentity } from "../local-cluster/blueprint";
import { runEtcdctl, tlsFlags, writeIdentity, type IdentityFiles } from "../local-cluster/etcdctl";
import type { LocalCluster } from "../local-cluster/local-cluster";
import type { CommandResult } from "../local-cluster/namespace-exec";
import type { AskEtcd } from "./cluster-view";

export class OperatorCredentials {
  /** Newest first. */
  private readonly identities: IdentityFiles[];

  constructor(private readonly cluster: LocalCluster) {
    this.identities = [cluster.adminFiles];
  }

  /** Keeps the admin credentials of a rendering, unless already kept. */
  remember(admin: TlsIdentity): void {
    if (this.identities.some((identity) => readFileSync(identity.certFile, "utf8") === admin.certPem)) return;
    this.identities.unshift(writeIdentity(join(this.cluster.workDir, `admin-${this.identities.length}`), admin));
  }

  /** etcdctl with the newest credentials that work; the last failure when none does. */
  readonly ask: AskEtcd = async (args, members, timeoutMs) => {
    let result: CommandResult = { ok: false, stdout: "", stderr: "no admin credentials" };
    for (const identity of this.identities) {
      result = await runEtcdctl(this.cluster.network.hubNamespace, this.cluster.endpoints(members), tlsFlags(identity), args, timeoutMs);
      if (result.ok) return result;
    }
    return result;
  };
}
