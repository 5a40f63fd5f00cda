import { memberScriptSource } from "../member/scripts/member-script-source";
import { shellQuote } from "../formats/shell-quote";
import { readonlySettings, runOnInstanceLibrary } from "./deployer-script-source";
import { shippedMemberScriptCommand, ssmShellParameters, type SsmShellCommand } from "./ssm-run-command";

/** The member-side removal (remove-member.sh beside this file, member-config-lib.sh inlined). */
export function removeMemberScript(): string {
  return memberScriptSource("remove-member.sh");
}

/** Which member leaves the cluster, and where the deployer finds a member that stays. */
export interface MemberRemovalInput {
  /** etcd name of the member that leaves. */
  readonly memberName: string;
  /** Its peer URL (`https://<ip>:2380`): how the cluster's member list identifies it. */
  readonly peerUrl: string;
  /** ClusterConfig.clusterName: the `etcd:cluster` tag of the instances searched. */
  readonly clusterName: string;
  /**
   * etcd name of the member whose host runs the removal: the first member, which every size keeps.
   * Found by its `etcd:member` tag at run time, since its instance is replaced (new ID) in the same
   * `pulumi up` that shrinks the cluster, before Pulumi deletes anything.
   */
  readonly runOnMemberName: string;
  /** The instance tags' keys (aws/tags.ts TAG_KEYS): cluster and member. */
  readonly tagKeys: { readonly cluster: string; readonly member: string };
  /**
   * The StringList parameter naming the members the program declares (member/ssm-parameters.ts
   * memberListParameterName). It depends on every removal, so `pulumi destroy` deletes it first.
   */
  readonly memberListParameter: string;
}

/**
 * The command SSM runs on the staying member: remove-member.sh, shipped inline
 * (ssm-run-command.ts shippedMemberScriptCommand).
 */
export function memberRemovalCommand(memberName: string, peerUrl: string): string {
  return shippedMemberScriptCommand("remove-member.sh", [memberName, peerUrl]);
}

/**
 * The removal's SSM command. remove-member retries a refused change for up to 10 × (etcdctl + 3 s);
 * 60 s is the most the SSM waiter leaves (ssm-run-command.ts): a removal still refused then fails,
 * and the next `pulumi up` runs it again.
 */
export function memberRemovalSsmCommand(memberName: string, peerUrl: string): SsmShellCommand {
  return { commands: [memberRemovalCommand(memberName, peerUrl)], executionTimeoutSeconds: 60 };
}

/**
 * The deployer-side script (POSIX sh) that removes a member from its cluster, run as the `delete`
 * of the member's removal command before Pulumi deletes the member's instance. It first reads the
 * member list parameter (ssm:GetParameter):
 * - gone: the whole cluster is being destroyed (`pulumi destroy` deletes the parameter before any
 *   removal, since it depends on them all): nothing to remove, success, whatever state the
 *   members are in, so a broken cluster can be destroyed;
 * - still naming the member: the member is not leaving (a removal replaced, not a shrink): success;
 * - otherwise the cluster shrinks: it finds the running instance of `runOnMemberName` by its tags,
 *   runs `memberRemovalCommand` there through SSM Run Command, prints what the member said (a
 *   refusal names its reason) and exits with its result: non-zero stops `pulumi up` before the
 *   instance is deleted, and so does a first member that is not running.
 */
export function renderMemberRemovalScript(input: MemberRemovalInput): string {
  const { memberName, tagKeys } = input;
  const filters = [
    `Name=tag:${tagKeys.cluster},Values=${input.clusterName}`,
    `Name=tag:${tagKeys.member},Values=${input.runOnMemberName}`,
    "Name=instance-state-name,Values=running",
  ];
  return `#!/bin/sh
# Removes etcd member ${memberName} from its cluster before its instance is deleted. Rendered by etcd-cluster.
set -u
export AWS_PAGER=""
${readonlySettings({ REMOVAL_PARAMETERS: ssmShellParameters(memberRemovalSsmCommand(memberName, input.peerUrl)) }).join("\n")}
${runOnInstanceLibrary()}
member=${shellQuote(memberName)} runner=${shellQuote(input.runOnMemberName)} member_list=${shellQuote(input.memberListParameter)}
if ! members=$(aws ssm get-parameter --name "$member_list" --query Parameter.Value --output text 2>&1); then
  case $members in
    *ParameterNotFound*)
      echo "$member_list is gone: the whole cluster is being destroyed, so $member is not removed from it"
      exit 0 ;;
  esac
  echo "cannot read $member_list: $members" >&2
  exit 1
fi
case ",$members," in
  *",$member,"*)
    echo "$member is still one of the cluster's members ($member_list): nothing to remove"
    exit 0 ;;
esac
instance_id=$(aws ec2 describe-instances --filters ${filters.map(shellQuote).join(" ")} \\
  --query 'Reservations[].Instances[].InstanceId' --output text) || exit 1
instance_id=\${instance_id%%[[:space:]]*}
if [ -z "$instance_id" ] || [ "$instance_id" = None ]; then
  echo "no running instance of $runner: cannot remove $member from the cluster; nothing deleted" >&2
  exit 1
fi
echo "removing etcd member $member from the cluster, through $runner ($instance_id)"
run_on_instance "$instance_id" "etcd remove member $member" "$REMOVAL_PARAMETERS"
status=$?
if [ -n "$command_id" ]; then command_output "$instance_id"; fi
if [ "$status" -ne 0 ]; then
  echo "removing $member failed (above); its instance is kept. Fix the cause, then run pulumi up again" >&2
fi
exit "$status"
`;
}
