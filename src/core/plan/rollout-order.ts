/**
 * The order an `up` rolls the members in: each member's pre-disruption gate and instance wait for
 * the health gate of the member before it in this order (src/pulumi/cluster.ts). Pure: the live
 * instances are read from AWS before anything is declared (src/pulumi/live-member-instances.ts).
 *
 * Members whose instance is not running (none, `pending`, `stopping`, `stopped`) roll first, in
 * index order, then the others in index order. Why this is safe:
 * - one member at a time still: the order only permutes the chain, every instance still waits for
 *   the previous member's health gate and for its own pre-disruption gate;
 * - a member whose instance is not running is down already: replacing it disrupts no other member
 *   (a member with no instance at all has nothing to disrupt). A running member comes after it, so
 *   its gate finds the member back, and never takes a second voter down while that one is down. In
 *   index order the stopped member waited behind member 0's gate, which refused because it was down:
 *   no `up` could bring it back (an interrupted rollout, an instance stopped outside Pulumi);
 * - a new cluster has no instance at all: index order, as before. When a member's health gate first
 *   runs, every member of a smaller index has an instance (it rolled before, or its instance runs),
 *   which is all the bootstrap gate conditions count on (`bootstrapGateCondition`: the members below
 *   the quorum's last wait only until started);
 * - a scale-up's new members have no instance: they join (as learners, then promoted) before any
 *   running member is disrupted, so the rollout runs with the larger cluster. Their gates pass at
 *   once (nothing to disrupt), so a learner left pending by an earlier `up` is met by the new
 *   member's join step (it waits for that learner, etcd 3.5 admitting one), not by a cluster check;
 * - a shrink: the leaving members are not declared, so they are not in the order; their removals
 *   keep their own chain (highest member first, member-removal.ts). `pulumi destroy` runs no
 *   program: it deletes by the dependencies the last `up` recorded, and no gate runs on delete.
 */

/** A live instance of the cluster as DescribeInstances reports it: its `etcd:member` tag and its state. */
export interface LiveMemberInstance {
  /** The `etcd:member` tag, when the instance carries one. */
  readonly memberName: string | undefined;
  /** EC2's instance state name: `pending`, `running`, `stopping`, `stopped` (live ones only). */
  readonly state: string;
}

/** The EC2 state in which a member's instance runs its etcd (or may). */
const RUNNING = "running";

/** The members in rollout order: not running first, then running, each group in index order. */
export function rolloutOrder<Member extends { readonly name: string; readonly index: number }>(
  members: readonly Member[],
  liveInstances: readonly LiveMemberInstance[],
): Member[] {
  const running = new Set(liveInstances.filter((instance) => instance.state === RUNNING).map((instance) => instance.memberName));
  const byIndex = [...members].sort((a, b) => a.index - b.index);
  return [...byIndex.filter((member) => !running.has(member.name)), ...byIndex.filter((member) => running.has(member.name))];
}
