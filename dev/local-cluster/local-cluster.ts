/**
 * A cluster of real etcd members booted from a blueprint on the loopback network, with the
 * operations the drills need: health, reads and writes through a chosen member, stopping and
 * restarting members. Everything it creates is removed by `destroy` or, failing that, by the
 * cleanup handlers (cleanup.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClusterBlueprint, MemberBlueprint, TlsIdentity } from "./blueprint";
import { installExitHandlers, onCleanup, runScopedName, sweepLeftovers } from "./cleanup";
import { EtcdMember } from "./etcd-member";
import { runEtcdctl, tlsFlags, writeIdentity, type IdentityFiles } from "./etcdctl";
import { expectOk, type CommandResult } from "./namespace-exec";
import { LoopbackNetwork } from "./loopback-network";

/** Upper bound of every wait for the cluster to become healthy; a bound, never an assertion on speed. */
export const HEALTHY_WITHIN_MS = 60_000;
const POLL_INTERVAL_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class LocalCluster {
  /** In the blueprint's order (the program's member order), then those added by `addMember`. */
  private readonly memberList: EtcdMember[];
  /** The admin's certificate, key and CA (from the program's outputs) on disk. */
  readonly adminFiles: IdentityFiles;
  private readonly adminDir: string;

  private constructor(
    /** What the members were booted from, as the program rendered it. */
    readonly blueprint: ClusterBlueprint,
    /** The members' hosts and the hub the clients run in. */
    readonly network: LoopbackNetwork,
    /** Temp dir of this cluster: one sub-directory per member root, plus client identities. */
    readonly workDir: string,
    private readonly removeWorkDir: () => void,
  ) {
    this.memberList = blueprint.members.map((member) => this.layOut(member));
    this.adminDir = join(workDir, "admin");
    this.adminFiles = writeIdentity(this.adminDir, blueprint.admin);
  }

  /**
   * Hands the clients another identity (a later rendering's outputs, as an operator redistributes
   * them after an `up`): the admin files are rewritten in place; clients started after this use it.
   */
  updateAdminIdentity(identity: TlsIdentity): void {
    writeIdentity(this.adminDir, identity);
  }

  /** Lays out every member and its network host; starts nothing. `label` names the namespaces. */
  static create(blueprint: ClusterBlueprint, label: string): LocalCluster {
    installExitHandlers();
    sweepLeftovers();
    const workDir = mkdtempSync(join(tmpdir(), `${runScopedName(label)}-`));
    const removeWorkDir = onCleanup(() => rmSync(workDir, { recursive: true, force: true }));
    const network = new LoopbackNetwork(label);
    return new LocalCluster(blueprint, network, workDir, removeWorkDir);
  }

  /** Every member laid out so far, started or not. */
  get members(): readonly EtcdMember[] {
    return this.memberList;
  }

  /**
   * Lays out a member of a later rendering (a scale-up) on a new host of the same network; starts
   * nothing. Its config is the one that rendering gave it, host paths mapped.
   */
  addMember(blueprint: MemberBlueprint): EtcdMember {
    const member = this.layOut(blueprint);
    this.memberList.push(member);
    return member;
  }

  private layOut(blueprint: MemberBlueprint): EtcdMember {
    return new EtcdMember(blueprint, this.network.addHost(blueprint.ip), join(this.workDir, blueprint.name));
  }

  /** Client URLs of all members, or of the given ones. */
  endpoints(members: readonly EtcdMember[] = this.members): string[] {
    return members.map((member) => member.clientUrl);
  }

  member(index: number): EtcdMember {
    const member = this.members[index];
    if (member === undefined) throw new Error(`no member ${index}`);
    return member;
  }

  /** etcdctl as the admin, from the hub, against the given members (default: all); `timeoutMs` bounds each request. */
  etcdctl(args: readonly string[], members?: readonly EtcdMember[], timeoutMs?: number): Promise<CommandResult> {
    return runEtcdctl(this.network.hubNamespace, this.endpoints(members), tlsFlags(this.adminFiles), args, timeoutMs);
  }

  /** Writes through one member only. */
  async put(key: string, value: string, via: EtcdMember): Promise<void> {
    expectOk(await this.etcdctl(["put", key, value], [via]), `put ${key} via ${via.name}`);
  }

  /** Reads a key through one member (a linearizable read: it needs the leader). */
  async get(key: string, via: EtcdMember): Promise<string | undefined> {
    const out = expectOk(await this.etcdctl(["get", key, "--print-value-only"], [via]), `get ${key} via ${via.name}`);
    return out === "" ? undefined : out.replace(/\n$/, "");
  }

  /** Keys under a prefix, read through the running members. */
  async keys(prefix: string): Promise<Set<string>> {
    const running = this.members.filter((member) => member.isRunning);
    const out = expectOk(await this.etcdctl(["get", prefix, "--prefix", "--keys-only"], running), `list ${prefix}`);
    return new Set(out.split("\n").filter(Boolean));
  }

  /**
   * `endpoint health --cluster` reports every running member healthy. A member added but not yet
   * started has no client URL, so `--cluster` would skip it: the healthy endpoints must be
   * exactly the running members'.
   */
  async isHealthy(): Promise<boolean> {
    const running = this.members.filter((member) => member.isRunning);
    if (running.length === 0) return false;
    const result = await this.etcdctl(["endpoint", "health", "--cluster", "-w", "json"], running);
    if (!result.ok) return false;
    const healthy = (JSON.parse(result.stdout) as { endpoint: string; health: boolean }[])
      .filter((entry) => entry.health)
      .map((entry) => entry.endpoint)
      .sort();
    return healthy.join(",") === this.endpoints(running).sort().join(",");
  }

  /** Polls until every member is healthy; returns the milliseconds it took. Throws after HEALTHY_WITHIN_MS. */
  async waitHealthy(): Promise<number> {
    const started = Date.now();
    while (!(await this.isHealthy())) {
      if (Date.now() - started > HEALTHY_WITHIN_MS) {
        const last = await this.etcdctl(["endpoint", "health", "--cluster"]);
        throw new Error(`cluster not healthy within ${HEALTHY_WITHIN_MS} ms:\n${last.stdout}${last.stderr}`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
    return Date.now() - started;
  }

  startAll(): void {
    for (const member of this.members) if (!member.isRunning) member.start();
  }

  /** Stops the given members at once (SIGKILL: a crash, power loss of the process). */
  async stop(members: readonly EtcdMember[], signal: NodeJS.Signals): Promise<void> {
    await Promise.all(members.map((member) => member.stop(signal)));
  }

  /** Stops every member, deletes the namespaces and the temp dir. */
  async destroy(): Promise<void> {
    await this.stop(this.members, "SIGKILL");
    this.network.destroy();
    this.removeWorkDir();
  }
}
