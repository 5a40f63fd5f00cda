/**
 * The pre-disruption gate's member side (cluster-health-check, exactly the bytes its SSM command
 * ships) against a real 3-member cluster, as the deployer's gate asks it before a member's instance
 * is replaced or stopped: it passes only while every other voter is healthy, no learner waits and
 * no alarm is raised, and a refusal names the member and the fix.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusterHealthCheckSsmCommand } from "../../src/core/aws/cluster-gate-command";
import type { EtcdMember } from "../../dev/local-cluster/etcd-member";
import type { LocalCluster } from "../../dev/local-cluster/local-cluster";
import { execInNamespace, expectOk } from "../../dev/local-cluster/namespace-exec";
import { etcdBinaries } from "../../dev/local-cluster/etcd-binaries";
import { tlsFlags } from "../../dev/local-cluster/etcdctl";
import { renderedStack } from "../../dev/local-cluster/program-blueprint";
import { sharedCluster } from "./support/shared-cluster";
import { runShippedMemberScript } from "./support/shipped-member-script";

/** A small quota, so a test can raise NOSPACE in seconds. */
const QUOTA_BYTES = 32 * 1024 * 1024;
const REFUSED = 3;

/** The gate's check for `disrupted`, run on `on` as SSM would run it there. */
async function gateCheck(on: EtcdMember, disrupted: EtcdMember) {
  const [command] = clusterHealthCheckSsmCommand(disrupted.name).commands;
  const result = await runShippedMemberScript(on, command ?? assert.fail("no command"), [disrupted.name]);
  console.log(`gate for ${disrupted.name}, asked on ${on.name}: exit ${result.code}\n${result.stdout}${result.stderr}`);
  return result;
}

/**
 * `member add`, retried while etcd refuses it as "unhealthy cluster": with strict-reconfig-check a
 * member refuses changes until it has been connected to every voter for 5 s, as right after the
 * previous test's member restarted. At most 20 tries a second apart.
 */
async function memberAddAfterRestart(cluster: LocalCluster, args: readonly string[]): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const result = await cluster.etcdctl(["member", "add", ...args]);
    if (result.ok || !result.stderr.includes("unhealthy cluster") || attempt === 20) return expectOk(result, "member add");
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

describe("pre-disruption gate against real etcd (3 members)", () => {
  const clusterOf = sharedCluster("gate", async () => (await renderedStack({ members: 3, tuning: { quotaBackendGiB: QUOTA_BYTES / 1024 ** 3 } })).blueprint);

  it("passes while every member is healthy", async () => {
    const cluster = clusterOf();
    const result = await gateCheck(cluster.member(1), cluster.member(0));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^PASSED: every voter but etcd-dev-0 healthy \(3 voters\), no learner pending, no alarm/);
  });

  it("with one member down, refuses to disrupt another, naming the down member and the fix", async () => {
    const cluster = clusterOf();
    await cluster.stop([cluster.member(2)], "SIGKILL");
    const result = await gateCheck(cluster.member(0), cluster.member(0));
    assert.equal(result.code, REFUSED, result.stderr);
    assert.match(result.stdout, /^REFUSED: etcd member etcd-dev-2 \(https:\/\/[0-9.]+:2379\) is not healthy: .+\. No other member is disrupted while it is down/);
    assert.match(result.stdout, /\/var\/log\/cloud-init-output\.log/);
    assert.doesNotMatch(result.stdout, /etcd-dev-[01]/);
  });

  it("with one member down, lets that same member be disrupted: replacing it takes no other down", async () => {
    const cluster = clusterOf();
    await cluster.stop([cluster.member(2)], "SIGKILL");
    const result = await gateCheck(cluster.member(1), cluster.member(2));
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  it("refuses while a learner waits for its promotion and etcd refuses to promote it (it never started), naming it with etcd's reason", async () => {
    const cluster = clusterOf();
    const added = await memberAddAfterRestart(cluster, ["etcd-dev-9", "--learner", "--peer-urls=https://127.0.0.99:2380", "-w", "json"]);
    // The ID is a uint64: read from the JSON text, since a JavaScript number would round it.
    const learnerId = BigInt(/"member":\{"ID":(\d+)/.exec(added)?.[1] ?? assert.fail(`no member ID in ${added}`)).toString(16);
    try {
      const result = await gateCheck(cluster.member(0), cluster.member(1));
      assert.equal(result.code, REFUSED, result.stderr);
      assert.match(
        result.stdout,
        /^REFUSED: etcd member \(unstarted, https:\/\/127\.0\.0\.99:2380\) is a learner waiting for its promotion, and etcd refused to promote it now: .*can only promote a learner member which is in sync with leader/,
      );
      assert.doesNotMatch(result.stdout, /PROMOTED/);
    } finally {
      expectOk(await cluster.etcdctl(["member", "remove", learnerId]), "removing the learner");
    }
  });

  it("refuses while an alarm is raised (NOSPACE), naming it", async () => {
    const cluster = clusterOf();
    const etcdctl = [etcdBinaries().etcdctl, `--endpoints=${cluster.endpoints().join(",")}`, ...tlsFlags(cluster.adminFiles)].join(" ");
    const fill = `for i in $(seq 1 64); do
  if ! out=$(head -c 1048576 /dev/zero | ${etcdctl} put "fill/$i" 2>&1); then echo "$out"; exit 0; fi
done
echo "quota never reached"; exit 1`;
    assert.match(expectOk(await execInNamespace(cluster.network.hubNamespace, ["bash", "-c", fill]), "filling the quota"), /database space exceeded/);
    const result = await gateCheck(cluster.member(0), cluster.member(1));
    assert.equal(result.code, REFUSED, result.stderr);
    assert.match(result.stdout, /^REFUSED: alarm NOSPACE is raised on etcd member etcd-dev-\d: NOSPACE needs room/);
  });
});
