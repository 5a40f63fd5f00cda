/**
 * Strangers are refused: a client speaking plaintext, a client without a certificate, a client
 * whose certificate comes from another CA, and a would-be peer presenting a client-only
 * certificate. Each refusal is paired with the same request made with the admin's certificate,
 * which succeeds, so the refusal is the credential's doing and not a member being down.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { it } from "node:test";
import type { EtcdMember } from "../../../dev/local-cluster/etcd-member";
import { runEtcdctl, writeIdentity, type IdentityFiles } from "../../../dev/local-cluster/etcdctl";
import { foreignClientIdentity } from "../support/foreign-identity";
import type { LocalCluster } from "../../../dev/local-cluster/local-cluster";
import { execInNamespace, nodeScriptArgv } from "../../../dev/local-cluster/namespace-exec";
import type { PeerProbeOutcome } from "../support/peer-probe";
import type { ClusterOfSuite } from "../support/shared-cluster";

/** Bound of the wait for etcd to log a rejected connection. */
const LOGGED_WITHIN_MS = 5_000;

/** Waits (bounded) until the member logged a line matching `pattern`; returns that line. */
async function loggedLine(member: EtcdMember, pattern: RegExp, since: number): Promise<string | undefined> {
  const started = Date.now();
  while (Date.now() - started < LOGGED_WITHIN_MS) {
    const line = member
      .log()
      .slice(since)
      .split("\n")
      .find((candidate) => pattern.test(candidate));
    if (line !== undefined) return line;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

/** The admin's read through one member: the control that must succeed. */
async function assertAdminServed(cluster: LocalCluster, member: EtcdMember): Promise<void> {
  const control = await cluster.etcdctl(["get", "tls/control"], [member]);
  assert.ok(control.ok, `control request with the admin certificate failed: ${control.stderr}`);
}

/** `GET /members` on a member's peer listener, from `namespace`, presenting the given identity. */
async function probePeer(namespace: string, member: EtcdMember, files: IdentityFiles): Promise<PeerProbeOutcome> {
  const result = await execInNamespace(
    namespace,
    nodeScriptArgv(join(__dirname, "../support/peer-probe.ts"), member.peerUrl, files.caFile, files.certFile, files.keyFile),
  );
  return JSON.parse(result.stdout) as PeerProbeOutcome;
}

export function tlsRefusalDrills(clusterOf: ClusterOfSuite): void {
  it("refuses a plaintext client on the client port", async () => {
    const cluster = clusterOf();
    const member = cluster.member(0);
    const plaintext = await runEtcdctl(cluster.network.hubNamespace, [member.clientUrl.replace("https://", "http://")], [], ["get", "tls/control"]);
    assert.equal(plaintext.ok, false, `a plaintext client was served: ${plaintext.stdout}`);
    await assertAdminServed(cluster, member);
  });

  it("refuses a client that presents no certificate", async () => {
    const cluster = clusterOf();
    const member = cluster.member(0);
    const since = member.log().length;
    const anonymous = await runEtcdctl(cluster.network.hubNamespace, [member.clientUrl], [`--cacert=${cluster.adminFiles.caFile}`], ["get", "tls/control"]);
    assert.equal(anonymous.ok, false, `a client without a certificate was served: ${anonymous.stdout}`);
    assert.ok(await loggedLine(member, /rejected connection on client endpoint.*didn't provide a certificate/, since));
    await assertAdminServed(cluster, member);
  });

  it("refuses a client certificate issued by another CA", async () => {
    const cluster = clusterOf();
    const member = cluster.member(0);
    const foreign = writeIdentity(join(cluster.workDir, "foreign"), await foreignClientIdentity());
    const since = member.log().length;
    const stranger = await runEtcdctl(
      cluster.network.hubNamespace,
      [member.clientUrl],
      [`--cacert=${cluster.adminFiles.caFile}`, `--cert=${foreign.certFile}`, `--key=${foreign.keyFile}`],
      ["get", "tls/control"],
    );
    assert.equal(stranger.ok, false, `a certificate from another CA was accepted: ${stranger.stdout}`);
    assert.ok(await loggedLine(member, /rejected connection on client endpoint.*unknown authority/, since));
    await assertAdminServed(cluster, member);
  });

  it("refuses a would-be peer presenting a client-only certificate of the cluster's own CA", async () => {
    const cluster = clusterOf();
    for (const [index, member] of cluster.members.entries()) {
      const outcome = await probePeer(cluster.network.hubNamespace, member, cluster.adminFiles);
      assert.ok("error" in outcome, `${member.name}'s peer listener answered the admin's client certificate: ${JSON.stringify(outcome)}`);
      // Control: another member, from its own address with its own peer certificate, is answered.
      const neighbour = cluster.member((index + 1) % cluster.members.length);
      assert.deepEqual(await probePeer(neighbour.namespace, member, neighbour.peerIdentityFiles), { status: 200 });
    }
  });
}
