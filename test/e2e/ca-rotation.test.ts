/**
 * The staged CA rotation drilled on real etcd 3.5 under a continuous client load. The dev stack's
 * 3-member rendering boots; then each stage of `pki.caRotation` generation 1 is rendered as its
 * `pulumi up` would (the program reads the live member instances the previous render left, so the
 * rotation rules judge every step) and rolled out as the program rolls it: one member at a time,
 * in member order, the member stops (SIGTERM, its instance stopping), gets its new rendering (its
 * trusted CA bundle and certificates from the SSM parameters), starts, and the next member waits
 * for the product's health gate check and a healthy cluster.
 *
 * Clients hold the credentials of the `up` before the one rolling out (an operator redistributes
 * the outputs once an `up` finished): a load with them runs through every stage's rollout, and
 * every put must succeed, retried through restarts as a production client's policy does
 * (support/etcd-client.ts); and after each member's restart a read through that member alone must
 * succeed, so a member refusing the clients cannot hide behind the retries. One cluster ID
 * throughout. At the end the original credentials, old CA and old certificate, are refused.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LocalCluster } from "../../dev/local-cluster/local-cluster";
import { expectOk } from "../../dev/local-cluster/namespace-exec";
import { renderedStack, type RenderedStack } from "../../dev/local-cluster/program-blueprint";
import { rememberingTls } from "../../dev/mock-runtime/remembering-tls";
import { realTls } from "../../dev/mock-runtime/real-tls";
import { CA_ROTATION_STAGES } from "../../src/core/config/types";
import { passHealthGate, setBootComplete } from "./support/member-health-gate";
import { WriteLoad } from "./support/write-load-runner";

const MEMBERS = 3;
const WRITERS = 4;
/** Acknowledged writes to wait for before the first member of a stage and after each member. */
const WRITES_PER_STEP = 50;

/** Every member's cluster ID, as etcd reports it (`endpoint status`), asked of each member itself. */
async function clusterIds(cluster: LocalCluster): Promise<Set<string>> {
  const ids = await Promise.all(
    cluster.members.map(async (member) => {
      const out = expectOk(await cluster.etcdctl(["endpoint", "status", "-w", "json"], [member]), `status of ${member.name}`);
      // Read as text: a uint64 cluster ID does not fit a JSON number's double.
      const id = /"cluster_id":(\d+)/.exec(out)?.[1];
      if (id === undefined) throw new Error(`no cluster_id in the status of ${member.name}: ${out}`);
      return id;
    }),
  );
  return new Set(ids);
}

const CA_COUNT = (stack: RenderedStack) => (stack.blueprint.admin.caPem.match(/BEGIN CERTIFICATE/g) ?? []).length;

describe(`staged CA rotation of a ${MEMBERS}-member cluster under a client load, on real etcd`, () => {
  it("rolls each stage member by member with zero failed puts, one cluster ID, and the old CA refused at the end", async () => {
    const tls = rememberingTls(realTls());
    let deployed = await renderedStack({ members: MEMBERS }, tls);
    const original = deployed.blueprint.admin;
    const cluster = LocalCluster.create(deployed.blueprint, "ca-rotation");
    const report: string[] = [];
    try {
      cluster.startAll();
      await cluster.waitHealthy();
      for (const member of cluster.members) setBootComplete(member, true);
      const [clusterId] = await clusterIds(cluster);
      report.push(`booted: cluster ${clusterId}, clients trust ${CA_COUNT(deployed)} CA`);

      for (const stage of CA_ROTATION_STAGES) {
        const next = await renderedStack({ members: MEMBERS, pki: { caRotation: { generation: 1, stage } } }, tls, deployed.instances);
        const load = WriteLoad.start(cluster, `rotation-${stage}`, WRITERS, true);
        let acknowledged = WRITES_PER_STEP;
        await load.waitForAcknowledged(acknowledged);
        for (const [index, member] of cluster.members.entries()) {
          await member.stop("SIGTERM");
          setBootComplete(member, false);
          member.applyRendering(next.blueprint.members[index]);
          member.start();
          setBootComplete(member, true);
          const gateMs = await passHealthGate(member);
          await cluster.waitHealthy();
          // The clients' credentials through this member alone: a linearizable read, so its peer link to the leader too.
          await cluster.get(`rotation-${stage}/probe`, member);
          acknowledged += WRITES_PER_STEP;
          await load.waitForAcknowledged(acknowledged);
          report.push(`${stage}: ${member.name} restarted, gate passed after ${gateMs} ms`);
        }
        const keys = await load.stop();
        const ids = await clusterIds(cluster);
        report.push(`${stage}: ${keys.length} puts acknowledged, ${load.failedPuts} failed; cluster ${[...ids].join(", ")}`);
        assert.equal(load.failedPuts, 0, `failed puts during ${stage}`);
        assert.deepEqual([...ids], [clusterId], `one cluster ID after ${stage}`);
        // The rollout finished: the operator hands the clients this up's outputs.
        cluster.updateAdminIdentity(next.blueprint.admin);
        report.push(`${stage}: clients now trust ${CA_COUNT(next)} CA(s)`);
        deployed = next;
      }

      assert.equal(CA_COUNT(deployed), 1);
      assert.notEqual(deployed.blueprint.admin.caPem, original.caPem);
      cluster.updateAdminIdentity(original);
      const refused = await cluster.etcdctl(["get", "any"]);
      report.push(`original credentials after drop-old-ca: ${refused.ok ? "accepted" : "refused"}`);
      assert.equal(refused.ok, false, "a client with the old CA and certificate is refused once the old CA is dropped");
    } finally {
      await cluster.destroy();
      console.log(`CA rotation drill:\n  ${report.join("\n  ")}`);
    }
  });
});
