/**
 * Defragmentation on real etcd, through the defrag script the program installs on members (the dev
 * stack's rendering, 3 members), with only host paths mapped (backup-support/member-scripts.ts).
 * Fragmentation is made the way a real cluster makes it: values written, deleted, and compacted
 * away. The script's threshold is the product's (30 % and 64 MiB free), so the test writes
 * FRAGMENT_VALUES values of 1 MiB.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { shellQuote } from "../../src/core/formats/shell-quote";
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

/** The member's ID, as text: IDs exceed 2^53, so JSON.parse would round them. */
async function memberId(cluster: LocalCluster, member: EtcdMember): Promise<string> {
  const out = expectOk(await cluster.etcdctl(["endpoint", "status", "-w", "json"], [member]), `status of ${member.name}`);
  const id = /"member_id":(\d+)/.exec(out)?.[1];
  if (id === undefined) throw new Error(`no member_id in the status of ${member.name}: ${out}`);
  return id;
}

/** An AlarmRequest (etcd api/etcdserverpb/rpc.proto) to etcd's gRPC gateway, POST /v3/maintenance/alarm. */
interface AlarmRequest {
  readonly action: "ACTIVATE" | "DEACTIVATE" | "GET";
  readonly memberID: string;
  readonly alarm: "NOSPACE" | "CORRUPT";
}

/** The curl command that sends `request` to `member`'s gateway with the admin identity. */
function curlAlarm(cluster: LocalCluster, member: EtcdMember, request: AlarmRequest): string[] {
  const { caFile, certFile, keyFile } = cluster.adminFiles;
  return [
    "curl",
    "--silent",
    "--show-error",
    "--fail",
    "--cacert",
    caFile,
    "--cert",
    certFile,
    "--key",
    keyFile,
    "--data",
    JSON.stringify(request),
    `${member.clientUrl}/v3/maintenance/alarm`,
  ];
}

/** Sends `request` from the hub: etcdctl 3.5 can neither raise an alarm nor lift one type alone. */
async function alarmRequest(cluster: LocalCluster, member: EtcdMember, request: AlarmRequest): Promise<void> {
  expectOk(await execInNamespace(cluster.network.hubNamespace, curlAlarm(cluster, member, request)), `${request.action} ${request.alarm} on ${member.name}`);
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
    assert.ok(after[1].dbSize < before[1].dbSize - DEFRAG_MIN_FREE_BYTES, "the defragmented member's file shrank by the freed space");
    assert.equal(after[0].dbSize, before[0].dbSize);
    assert.equal(after[2].dbSize, before[2].dbSize);
  });

  it("lifts only the NOSPACE alarm after its defrag: a CORRUPT alarm raised while the defrag runs stays raised", async () => {
    const cluster = clusterOf();
    const member = cluster.member(2);
    const before = await backendSize(cluster, member);
    assert.ok(worthDefragmenting(before), `${member.name} still has its freed space: ${before.dbSize} (${before.dbSizeInUse} in use)`);
    const id = await memberId(cluster, member);
    await alarmRequest(cluster, member, { action: "ACTIVATE", memberID: id, alarm: "NOSPACE" });
    const dir = mkdtempSync(join(tmpdir(), "etcd-defrag-corrupt-"));
    try {
      // etcdctl as the script runs it, except that `defrag` first raises CORRUPT on the member:
      // after the script's health check, while its defrag runs.
      const corrupt = curlAlarm(cluster, member, { action: "ACTIVATE", memberID: id, alarm: "CORRUPT" });
      writeFileSync(
        join(dir, "etcdctl"),
        `#!/bin/bash\nif [[ " $* " == *" defrag "* ]]; then ${corrupt.map(shellQuote).join(" ")} >/dev/null; fi\nexec ${etcdBinaries().etcdctl} "$@"\n`,
        { mode: 0o755 },
      );
      const result = await runDefragScript(cluster.blueprint, member, dir);
      console.log(result.stdout.trim());
      assert.ok(result.ok, result.stderr);
      assert.match(result.stdout, new RegExp(`^etcd-defrag: NOSPACE disarmed: ${member.name}'s db \\(\\d+ bytes\\) is below the quota`, "m"));
      const alarms = expectOk(await cluster.etcdctl(["alarm", "list"], [cluster.member(0)]), "alarm list").trim();
      assert.equal(alarms, `memberID:${id} alarm:CORRUPT`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      expectOk(await cluster.etcdctl(["alarm", "disarm"], [cluster.member(0)]), "disarming the test's alarms");
    }
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
