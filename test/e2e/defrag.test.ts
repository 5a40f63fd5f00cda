/**
 * Defragmentation on real etcd, through the defrag script the program installs on members (the dev
 * stack's rendering, 3 members), with only host paths mapped (backup-support/member-scripts.ts).
 * Fragmentation is made the way a real cluster makes it: values written, deleted, and compacted
 * away. The script's threshold is the product's (30 % and 64 MiB free), so the test writes
 * FRAGMENT_VALUES values of 1 MiB.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFRAG_MIN_FREE_BYTES, DEFRAG_MIN_FREE_PERCENT } from "../../src/core/member/scripts/defrag-script";
import { etcdBinaries } from "../../dev/local-cluster/etcd-binaries";
import type { EtcdMember } from "../../dev/local-cluster/etcd-member";
import { tlsFlags } from "../../dev/local-cluster/etcdctl";
import type { LocalCluster } from "../../dev/local-cluster/local-cluster";
import { execInNamespace, expectOk } from "../../dev/local-cluster/namespace-exec";
import { renderedBlueprint } from "../../dev/local-cluster/program-blueprint";
import { runDefragScript } from "./backup-support/member-scripts";
import { sharedCluster } from "./support/shared-cluster";

/** 1 MiB values written then deleted: enough to pass DEFRAG_MIN_FREE_BYTES with room to spare. */
const FRAGMENT_VALUES = 96;
const VALUE_BYTES = 1024 * 1024;
/** Polls while the members apply the compaction (each compacts its own backend, asynchronously). */
const COMPACTION_POLLS = 50;
const POLL_INTERVAL_MS = 200;

/** A member's backend file size and the part of it in use, from `endpoint status`. */
interface BackendSize {
  readonly dbSize: number;
  readonly dbSizeInUse: number;
}

async function backendSize(cluster: LocalCluster, member: EtcdMember): Promise<BackendSize> {
  const out = expectOk(await cluster.etcdctl(["endpoint", "status", "-w", "json"], [member]), `status of ${member.name}`);
  const [entry] = JSON.parse(out) as { Status: BackendSize }[];
  if (entry === undefined) throw new Error(`no status from ${member.name}`);
  return { dbSize: entry.Status.dbSize, dbSizeInUse: entry.Status.dbSizeInUse };
}

async function backendSizes(cluster: LocalCluster): Promise<BackendSize[]> {
  return Promise.all(cluster.members.map((member) => backendSize(cluster, member)));
}

/** True when the script's threshold calls for a defrag. */
function worthDefragmenting({ dbSize, dbSizeInUse }: BackendSize): boolean {
  const free = dbSize - dbSizeInUse;
  return free >= DEFRAG_MIN_FREE_BYTES && free * 100 >= dbSize * DEFRAG_MIN_FREE_PERCENT;
}

function describeSizes(cluster: LocalCluster, sizes: readonly BackendSize[]): string {
  return sizes.map((size, index) => `${cluster.member(index).name} ${size.dbSize} (${size.dbSizeInUse} in use)`).join(", ");
}

/**
 * Writes FRAGMENT_VALUES values of 1 MiB from the hub, deletes them and compacts the history
 * (`--physical`), then waits until every member's backend shows the freed space.
 */
async function fragment(cluster: LocalCluster): Promise<void> {
  const started = Date.now();
  const etcdctl = [etcdBinaries().etcdctl, `--endpoints=${cluster.endpoints().join(",")}`, ...tlsFlags(cluster.adminFiles)].join(" ");
  const script = `set -euo pipefail
for i in $(seq 1 ${FRAGMENT_VALUES}); do head -c ${VALUE_BYTES} /dev/zero | ${etcdctl} put "fragment/$i" >/dev/null; done
${etcdctl} del --prefix fragment/ >/dev/null
revision=$(${etcdctl} endpoint status -w json --endpoints=${cluster.member(0).clientUrl} | sed -n 's/.*"revision":\\([0-9]*\\).*/\\1/p')
${etcdctl} compact --physical "$revision" >/dev/null`;
  expectOk(await execInNamespace(cluster.network.hubNamespace, ["bash", "-c", script]), "fragmenting the backends");
  // bbolt keeps pages freed under an open read transaction pending, not free, until the backend
  // commits again: on a live cluster the next writes do that; here a small write per poll does.
  for (let poll = 0; !(await backendSizes(cluster)).every(worthDefragmenting); poll++) {
    if (poll === COMPACTION_POLLS) throw new Error(`compaction did not free the space: ${describeSizes(cluster, await backendSizes(cluster))}`);
    await cluster.put("fragment-settled", String(poll), cluster.member(0));
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  console.log(`fragmented in ${Date.now() - started} ms: ${describeSizes(cluster, await backendSizes(cluster))}`);
}

describe("defragmentation with the installed script, on real etcd (3 members)", () => {
  const clusterOf = sharedCluster("df", () => renderedBlueprint(3));

  it("does nothing below the threshold, and says so", async () => {
    const cluster = clusterOf();
    const before = await backendSizes(cluster);
    const result = await runDefragScript(cluster.blueprint, cluster.member(0));
    console.log(result.stdout.trim());
    assert.ok(result.ok, result.stderr);
    assert.match(result.stdout, /^etcd-defrag: skipped: etcd-dev-0 has \d+ of \d+ bytes free, below the threshold \(30 % and 67108864 bytes\)$/m);
    assert.equal((await backendSize(cluster, cluster.member(0))).dbSize, before[0]?.dbSize);
  });

  it("defragments only the member it runs on, once the freed space passes the threshold", async () => {
    const cluster = clusterOf();
    await fragment(cluster);
    const before = await backendSizes(cluster);
    const result = await runDefragScript(cluster.blueprint, cluster.member(1));
    console.log(result.stdout.trim());
    assert.ok(result.ok, result.stderr);
    assert.match(result.stdout, /^etcd-defrag: OK defragmented etcd-dev-1: db \d+ -> \d+ bytes \(\d+ in use\) in \d+ ms$/m);
    const after = await backendSizes(cluster);
    console.log(`after: ${describeSizes(cluster, after)}`);
    assert.ok(after[1]!.dbSize < before[1]!.dbSize - DEFRAG_MIN_FREE_BYTES, "the defragmented member's file shrank by the freed space");
    assert.equal(after[0]!.dbSize, before[0]!.dbSize);
    assert.equal(after[2]!.dbSize, before[2]!.dbSize);
  });

  it("refuses while another member is down, and defragments nothing", async () => {
    const cluster = clusterOf();
    const runner = cluster.member(0);
    const before = await backendSize(cluster, runner);
    assert.ok(worthDefragmenting(before), `${runner.name} still has its freed space: ${before.dbSize} (${before.dbSizeInUse} in use)`);
    await cluster.stop([cluster.member(2)], "SIGKILL");
    const result = await runDefragScript(cluster.blueprint, runner);
    console.log(result.stderr.trim());
    assert.equal(result.ok, false);
    assert.match(result.stderr, /^etcd-defrag: FAILED: refused: not every member is healthy, nothing defragmented: .*is unhealthy/m);
    assert.equal((await backendSize(cluster, runner)).dbSize, before.dbSize);
  });
});
