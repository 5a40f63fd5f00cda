/**
 * A member that lost its data and WAL comes back through the project's own procedure, the
 * `etcd-replace-member` its user data installs, run on the member's host (its namespace) exactly as
 * the README tells an operator to: stop etcd, run the script, start etcd.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { REPLACE_MEMBER_SCRIPT_PATH } from "../../../src/core/member/ports-and-paths";
import { etcdBinaries } from "../../../dev/local-cluster/etcd-binaries";
import { mapHostPath } from "../../../dev/local-cluster/host-paths";
import { memberList } from "../support/leader";
import type { EtcdMember } from "../../../dev/local-cluster/etcd-member";
import type { LocalCluster } from "../../../dev/local-cluster/local-cluster";
import { execInNamespace, expectOk } from "../../../dev/local-cluster/namespace-exec";
import type { ClusterOfSuite } from "../support/shared-cluster";

const KEYS_BEFORE_LOSS = 20;

/** Every key of the keyspace as read through one member, sorted. */
async function allKeys(cluster: LocalCluster, via: EtcdMember, consistency: "serializable" | "linearizable"): Promise<string[]> {
  const args = ["get", "", "--from-key", "--keys-only", `--consistency=${consistency === "serializable" ? "s" : "l"}`];
  const out = expectOk(await cluster.etcdctl(args, [via]), `read all keys through ${via.name}`);
  return out.split("\n").filter(Boolean).sort();
}

export function replacementDrill(clusterOf: ClusterOfSuite): void {
  it("brings back a member whose data and WAL were wiped, with the installed etcd-replace-member, holding all data", async () => {
    const cluster = clusterOf();
    const lostMember = cluster.member(cluster.members.length - 1);
    const keys = Array.from({ length: KEYS_BEFORE_LOSS }, (_, index) => `replace/${index}`);
    for (const key of keys) await cluster.put(key, key, cluster.member(0));
    const oldId = (await memberList(cluster)).find((entry) => entry.name === lostMember.name)?.id;

    await lostMember.stop("SIGKILL");
    lostMember.wipe();
    const installed = cluster.blueprint.members.find((member) => member.name === lostMember.name)?.installedFiles[REPLACE_MEMBER_SCRIPT_PATH];
    assert.ok(installed !== undefined, `the user data of ${lostMember.name} installs no ${REPLACE_MEMBER_SCRIPT_PATH}`);
    const scriptPath = mapHostPath(lostMember.root, REPLACE_MEMBER_SCRIPT_PATH);
    mkdirSync(dirname(scriptPath), { recursive: true });
    writeFileSync(scriptPath, installed, { mode: 0o755 });
    const script = await execInNamespace(lostMember.namespace, [scriptPath, "--config", lostMember.configPath], {
      PATH: `${etcdBinaries().binDir}:${process.env["PATH"] ?? ""}`,
    });
    assert.ok(script.ok, `etcd-replace-member failed:\n${script.stderr}`);

    lostMember.start();
    console.log(`${lostMember.name} replaced: cluster healthy ${await cluster.waitHealthy()} ms after it started empty`);
    const members = await memberList(cluster);
    assert.deepEqual(members.map((entry) => entry.name).sort(), cluster.members.map((member) => member.name).sort());
    const newId = members.find((entry) => entry.name === lostMember.name)?.id;
    assert.notEqual(newId, oldId, "the replaced member kept its old member ID");

    // A serializable read is answered from the member's own store: the data really is on it.
    const onReplaced = await allKeys(cluster, lostMember, "serializable");
    assert.deepEqual(
      keys.filter((key) => !onReplaced.includes(key)),
      [],
      "keys written before the loss are missing",
    );
    assert.deepEqual(onReplaced, await allKeys(cluster, cluster.member(0), "linearizable"));
  });
}
