import * as command from "@pulumi/command";
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { renderMemberRemovalScript } from "../core/aws/member-removal-command";
import { TAG_KEYS } from "../core/aws/tags";

/** One member whose removal is declared. */
export interface RemovableMember {
  /** `<name>-member-<index>`: the removal is `<resourcePrefix>-removal`. */
  readonly resourcePrefix: string;
  /** etcd name of the member. */
  readonly memberName: string;
  /** Its peer URL, from its ENI's address. */
  readonly peerUrl: pulumi.Input<string>;
  /** The member's instance: removed from the cluster before it is deleted. */
  readonly instance: aws.ec2.Instance;
}

/** What every member's removal shares. */
export interface MemberRemovalSettings {
  /** ClusterConfig.clusterName: how the deployer finds the member that runs the removal. */
  readonly clusterName: string;
  /** etcd name of the first member, which runs the removal (every size keeps it). */
  readonly runOnMemberName: string;
  /** AWS region of the instances, for the deployer's AWS CLI. */
  readonly region: string;
  /** The member list parameter (member-list-parameter.ts): gone means the whole cluster is destroyed. */
  readonly memberListParameter: string;
}

/**
 * Every member's removal, `members` in member index order, each after the previous one's: the chain
 * is the members' index order whatever order the rollout takes (core/plan/rollout-order.ts).
 */
export function createMemberRemovals(
  members: readonly RemovableMember[],
  settings: MemberRemovalSettings,
  opts: pulumi.CustomResourceOptions,
): command.local.Command[] {
  const removals: command.local.Command[] = [];
  for (const member of members) removals.push(createMemberRemoval(member, settings, removals.slice(-1), opts));
  return removals;
}

/**
 * A command that does nothing when created and, when Pulumi deletes it, removes the member from
 * the etcd cluster (`etcdctl member remove`, member-removal.ts) through SSM on the first member.
 * Ordering, all from the dependency graph Pulumi deletes in reverse:
 * - it depends on the member's instance, so it is deleted, and the member removed, before the
 *   instance; a failed or refused removal stops `pulumi up` with the instance still running;
 * - it depends on the previous member's removal, so a shrink removes the highest member first,
 *   one at a time (5 → 3: member 4, then member 3);
 * - the dependency on the instance is `dependsOn` only, no input of the instance's: a
 *   delete-before-replace of the instance (every rollout) deletes only dependents whose inputs the
 *   replacement changes (Pulumi's tests/integration/delete_before_create), so a replaced member is
 *   never removed from the cluster;
 * - the member list parameter depends on every removal (member-list-parameter.ts), so a
 *   `pulumi destroy` deletes it first and the removals then see a cluster destroyed, not shrunk.
 */
function createMemberRemoval(
  member: RemovableMember,
  settings: MemberRemovalSettings,
  after: readonly pulumi.Resource[],
  opts: pulumi.CustomResourceOptions,
): command.local.Command {
  const script = pulumi.output(member.peerUrl).apply((peerUrl) =>
    renderMemberRemovalScript({
      memberName: member.memberName,
      peerUrl,
      clusterName: settings.clusterName,
      runOnMemberName: settings.runOnMemberName,
      tagKeys: TAG_KEYS,
      memberListParameter: settings.memberListParameter,
    }),
  );
  return new command.local.Command(
    `${member.resourcePrefix}-removal`,
    { delete: script, environment: { AWS_REGION: settings.region } },
    { ...opts, dependsOn: [member.instance, ...after] },
  );
}
