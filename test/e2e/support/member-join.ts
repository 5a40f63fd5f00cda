/**
 * The join step and the rollouts of a member's life, on harness members: the installed
 * `etcd-join-cluster` (from the member's user data, host paths mapped by its --config), run on the
 * member's host (its network namespace) with the pinned etcdctl on PATH, and the instance
 * replacements `pulumi up` makes (stop, new rendering, start, health gate). Shared by the resize,
 * boot-decision and sequence drills.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { JOIN_CLUSTER_SCRIPT_PATH } from "../../../src/core/member/ports-and-paths";
import type { ClusterBlueprint, MemberBlueprint } from "../../../dev/local-cluster/blueprint";
import { etcdBinaries } from "../../../dev/local-cluster/etcd-binaries";
import type { EtcdMember } from "../../../dev/local-cluster/etcd-member";
import { mapHostPath } from "../../../dev/local-cluster/host-paths";
import { HEALTHY_WITHIN_MS, LocalCluster } from "../../../dev/local-cluster/local-cluster";
import { renderedBlueprint } from "../../../dev/local-cluster/program-blueprint";
import { realTls } from "../../../dev/mock-runtime/real-tls";
import { rememberingTls } from "../../../dev/mock-runtime/remembering-tls";
import { execInNamespace, expectOk, type CommandResult } from "../../../dev/local-cluster/namespace-exec";

/** PATH with the pinned etcd binaries first, as the boot script installs them. */
export function withEtcdctl(path = process.env["PATH"] ?? ""): Record<string, string> {
  return { PATH: `${etcdBinaries().binDir}:${path}` };
}

/** The rendering of `member` in `rendering` (same name). */
export function renderingOf(rendering: ClusterBlueprint, member: EtcdMember): MemberBlueprint {
  return rendering.members.find((rendered) => rendered.name === member.name) ?? assert.fail(`${member.name} is not rendered`);
}

/**
 * Installs `member`'s etcd-join-cluster from its rendering on its host and runs it there with
 * `options` (`--promote`, `--restore FILE`) and `env` (ETCD_JOIN_ROUNDS shortens the wait of a
 * member that finds no cluster). Never throws for a refusal: the result says what the script did.
 */
export async function runInstalledJoin(
  member: EtcdMember,
  rendered: MemberBlueprint,
  options: readonly string[] = [],
  env: Readonly<Record<string, string>> = withEtcdctl(),
): Promise<CommandResult> {
  const installed = rendered.installedFiles[JOIN_CLUSTER_SCRIPT_PATH];
  assert.ok(installed !== undefined, `the user data of ${member.name} installs no ${JOIN_CLUSTER_SCRIPT_PATH}`);
  const scriptPath = mapHostPath(member.root, JOIN_CLUSTER_SCRIPT_PATH);
  mkdirSync(dirname(scriptPath), { recursive: true });
  writeFileSync(scriptPath, installed, { mode: 0o755 });
  return execInNamespace(member.namespace, [scriptPath, ...options, "--config", member.configPath], env);
}

/** Like runInstalledJoin, and fails the test with the script's own output when it refused. */
export async function joinOrFail(member: EtcdMember, rendered: MemberBlueprint, options: readonly string[] = []): Promise<CommandResult> {
  const run = await runInstalledJoin(member, rendered, options);
  assert.ok(run.ok, `etcd-join-cluster ${options.join(" ")} of ${member.name} failed:\n${run.stderr}`);
  return run;
}

/**
 * An instance replacement of each of `members` in turn, as `pulumi up` rolls them: stop (SIGTERM),
 * the member's rendering in `rendering` (its data kept), start, and a healthy cluster before the
 * next (the health gates).
 */
export async function rollOut(cluster: LocalCluster, rendering: ClusterBlueprint, members: readonly EtcdMember[]): Promise<void> {
  for (const member of members) {
    await member.stop("SIGTERM");
    member.applyRendering(renderingOf(rendering, member));
    member.start();
    await cluster.waitHealthy();
  }
}

/**
 * A cluster about to grow 3 → 5, as `pulumi up` leaves it before it creates member 3: the dev
 * stack's 3 members booted and healthy, then replaced one at a time with their 5-member rendering.
 * Both renderings share one CA and members 0-2's certificates (two `up`s of one stack). Destroy it.
 */
export async function clusterGrowingToFive(label: string): Promise<{ cluster: LocalCluster; five: ClusterBlueprint }> {
  const tls = rememberingTls(realTls());
  const three = await renderedBlueprint(3, tls);
  const five = await renderedBlueprint(5, tls);
  const cluster = LocalCluster.create(three, label);
  cluster.startAll();
  await cluster.waitHealthy();
  await rollOut(cluster, five, cluster.members);
  return { cluster, five };
}

/** How the `askedVia` members list `member` (by its peer URL): as a learner, a voter, or not at all. */
export async function membershipOf(cluster: LocalCluster, member: EtcdMember, askedVia: readonly EtcdMember[]): Promise<"learner" | "voter" | "absent"> {
  const out = expectOk(await cluster.etcdctl(["member", "list", "-w", "json"], askedVia), "member list");
  const members = (JSON.parse(out) as { members: { peerURLs: string[]; isLearner?: boolean }[] }).members;
  const listed = members.find((entry) => entry.peerURLs.includes(member.peerUrl));
  if (listed === undefined) return "absent";
  return listed.isLearner === true ? "learner" : "voter";
}

/** Polls until the `askedVia` members list `member` as started (it published its client URLs); throws after HEALTHY_WITHIN_MS. */
export async function waitStarted(cluster: LocalCluster, member: EtcdMember, askedVia: readonly EtcdMember[]): Promise<void> {
  const started = Date.now();
  for (;;) {
    const out = expectOk(await cluster.etcdctl(["member", "list", "-w", "json"], askedVia), "member list");
    const members = (JSON.parse(out) as { members: { peerURLs: string[]; clientURLs?: string[] }[] }).members;
    if ((members.find((entry) => entry.peerURLs.includes(member.peerUrl))?.clientURLs ?? []).length > 0) return;
    if (Date.now() - started > HEALTHY_WITHIN_MS) throw new Error(`${member.name} did not start within ${HEALTHY_WITHIN_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The cluster ID `member` reports (its own view: `endpoint status`), as hex text. */
export async function clusterIdOf(cluster: LocalCluster, member: EtcdMember): Promise<string> {
  const out = expectOk(await cluster.etcdctl(["endpoint", "status", "-w", "json", "--hex"], [member]), `status of ${member.name}`);
  return String((JSON.parse(out) as { Status: { header: { cluster_id: string | number } } }[])[0]?.Status.header.cluster_id);
}
