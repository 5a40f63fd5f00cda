/**
 * The product's member health gate (health-gate-command.ts `memberHealthCheckCommand`: the installed
 * etcd-finish-boot), run on a local member's own host as SSM runs it on the instance, for drills
 * that restart members the way a rollout replaces them. The drills run no boot script: the boot's
 * completion marker is removed when the member stops (a new instance's boot removes it first) and
 * written once etcd runs (the boot finishes once etcd is healthy), so the gate judges etcd.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { memberHealthCheckCommand } from "../../../src/core/aws/health-gate-command";
import { BOOT_COMPLETE_MARKER, FINISH_BOOT_SCRIPT_PATH } from "../../../src/core/member/ports-and-paths";
import { renderFinishBootScript } from "../../../src/core/member/scripts/finish-boot-script";
import type { EtcdMember } from "../../../dev/local-cluster/etcd-member";
import { mapHostPath } from "../../../dev/local-cluster/host-paths";
import { execInNamespace } from "../../../dev/local-cluster/namespace-exec";
import { mapMemberHostPaths } from "../../../dev/sequence-drill/host-path-text";

/** Bounds of the gate's poll; bounds, never assertions on speed. */
const GATE_ATTEMPTS = 120;
const POLL_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes or removes the boot script's completion marker on the member's host. */
export function setBootComplete(member: EtcdMember, complete: boolean): void {
  const marker = mapHostPath(member.root, BOOT_COMPLETE_MARKER);
  if (!complete) return rmSync(marker, { force: true });
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, "");
}

/** Polls the product's `healthy` gate check on the member's own host until it passes; returns the ms it took. */
export async function passHealthGate(member: EtcdMember): Promise<number> {
  const installed = mapHostPath(member.root, FINISH_BOOT_SCRIPT_PATH);
  mkdirSync(dirname(installed), { recursive: true });
  writeFileSync(installed, mapMemberHostPaths(renderFinishBootScript(), member.root), { mode: 0o755 });
  const check = mapMemberHostPaths(memberHealthCheckCommand("healthy"), member.root);
  const started = Date.now();
  for (let attempt = 1; attempt <= GATE_ATTEMPTS; attempt++) {
    if ((await execInNamespace(member.namespace, ["sh", "-c", check])).ok) return Date.now() - started;
    await sleep(POLL_MS);
  }
  throw new Error(`${member.name} did not pass its health gate after ${GATE_ATTEMPTS} checks:\n${member.log().slice(-2000)}`);
}
