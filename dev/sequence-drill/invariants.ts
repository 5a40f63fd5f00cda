/**
 * The promises a story must keep, checked after every step once the stack is first deployed:
 * - at most one voter down (a voter is down when it does not answer `/health` through its own
 *   client URL: process stopped, or no leader, or an alarm);
 * - one cluster ID among every member that answers;
 * and at the end of the story:
 * - every member the stack declares is listed, started, a voter and healthy, and nothing else is listed;
 * - no acknowledged write is lost: every key the write load saw acknowledged reads back.
 * A broken promise throws, naming the step; nothing here is ever relaxed to let a story pass.
 */
import type { LocalCluster } from "../local-cluster/local-cluster";
import type { AskEtcd, ClusterView } from "./cluster-view";
import { describeView } from "./cluster-view";

/** A write load running through the story: stopping it returns every key etcd acknowledged. */
export interface AcknowledgedWrites {
  stop(): Promise<readonly string[]>;
}

/** Bound of the wait for a healthy cluster at the end of a story. */
const SETTLE_WITHIN_MS = 60_000;

export class InvariantViolation extends Error {}

export class Invariants {
  private established = false;
  /** Members a fault holds down (their instances stopped): the voters-down rule waits until they are back. */
  private readonly heldDown = new Set<string>();

  constructor(
    private readonly cluster: LocalCluster,
    private readonly ask: AskEtcd,
    private readonly print: (line: string) => void,
  ) {}

  /** A fault outside Pulumi holds `member` down (or, `down` false, no longer does). */
  faultHolds(member: string, down: boolean): void {
    if (down) this.heldDown.add(member);
    else this.heldDown.delete(member);
  }

  private nameOf = (peerUrl: string): string => this.cluster.members.find((member) => member.peerUrl === peerUrl)?.name ?? peerUrl;

  /** From now on every step is held to the invariants (the first `up` bootstraps: nobody is healthy before a quorum). */
  establish(view: ClusterView): Promise<void> {
    this.print(`deployed: ${describeView(view, this.nameOf)}`);
    this.established = true;
    this.hold(view, "after the first up");
    return Promise.resolve();
  }

  /** Prints what etcd reports after a step and holds it to the invariants. */
  check(view: ClusterView, step: string): Promise<void> {
    this.print(`    etcd: ${describeView(view, this.nameOf)}`);
    if (this.established) this.hold(view, step);
    return Promise.resolve();
  }

  private hold(view: ClusterView, step: string): void {
    if (this.heldDown.size > 0) {
      this.print(`    (at most one voter down: not held while a fault holds [${[...this.heldDown].join(", ")}] down)`);
    } else if (view.votersDown.length > 1) {
      throw new InvariantViolation(`${step}: ${view.votersDown.length} voters down (${view.votersDown.map(this.nameOf).join(", ")}); at most one may be`);
    }
    if (view.clusterIds.size > 1) {
      const ids = [...view.clusterIds.entries()].map(([id, members]) => `${id}: ${members.join(", ")}`).join("; ");
      throw new InvariantViolation(`${step}: the members report ${view.clusterIds.size} cluster IDs (${ids}); there must be one`);
    }
  }

  /** The end of a story: the load stops, the cluster settles, and the end-state promises are checked. */
  async finish(viewNow: () => Promise<ClusterView>, load: AcknowledgedWrites, prefix: string, declared: readonly string[]): Promise<void> {
    const acknowledged = await load.stop();
    const started = Date.now();
    let settled = false;
    while (!settled && Date.now() - started < SETTLE_WITHIN_MS) {
      settled = await this.cluster.isHealthy();
      if (!settled) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const view = await viewNow();
    this.hold(view, "at the end");
    const listed = view.listed ?? [];
    const voters = listed
      .filter((entry) => !entry.isLearner && entry.name !== "")
      .map((entry) => entry.name)
      .sort();
    this.print(`end: ${describeView(view, this.nameOf)}; ${acknowledged.length} writes acknowledged`);
    if (voters.join(",") !== [...declared].sort().join(",") || listed.length !== declared.length) {
      throw new InvariantViolation(
        `at the end: the stack declares [${[...declared].sort().join(", ")}], etcd lists ${listed.length} members ` +
          `of which started voters [${voters.join(", ")}]${
            listed.some((entry) => entry.isLearner)
              ? `, learners [${listed
                  .filter((entry) => entry.isLearner)
                  .map((entry) => this.nameOf(entry.peerUrl))
                  .join(", ")}]`
              : ""
          }`,
      );
    }
    if (view.votersDown.length > 0)
      throw new InvariantViolation(`at the end: voters down [${view.votersDown.map(this.nameOf).join(", ")}]; every member must be up`);
    const running = this.cluster.members.filter((member) => member.isRunning);
    const read = await this.ask(["get", prefix, "--prefix", "--keys-only"], running, 10_000);
    if (!read.ok) throw new InvariantViolation(`at the end: the acknowledged writes cannot be read back: ${read.stderr.trim()}`);
    const found = new Set(read.stdout.split("\n").filter(Boolean));
    const lost = acknowledged.filter((key) => !found.has(key));
    this.print(`end: ${acknowledged.length} acknowledged writes, ${acknowledged.length - lost.length} read back`);
    if (lost.length > 0)
      throw new InvariantViolation(`at the end: ${lost.length} of ${acknowledged.length} acknowledged writes are lost, e.g. ${lost.slice(0, 3).join(", ")}`);
  }
}
