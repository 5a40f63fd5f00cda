/**
 * Whether a config change would replace a running member's ENI or volumes: its address (the peer
 * URL the cluster knows it by, its certificates' SANs) or its data. EC2 cannot move an ENI to
 * another subnet or a volume to another AZ, nor change a volume's KMS key: the AWS provider
 * replaces them (`subnet_id`, `availability_zone` and `kms_key_id` are ForceNew,
 * dev/plan/replacing-inputs.ts). Pulumi cannot say so before the member's old instance is gone,
 * so these changes are refused before the first resource, from what exists in the account
 * (member-replacement-check.ts looks it up by the cluster's tags). Pure.
 */
import { configKey, configProblem } from "../config/keys";
import { NO_FINDINGS, type RuleFindings } from "../config/findings";
import type { ClusterConfig, ConfigProblem } from "../config/types";
import { planTopology } from "../etcd/topology";
import type { VolumeRole } from "../aws/tags";

/** A member's ENI as EC2 reports it (DescribeNetworkInterfaces), found by its `etcd:member` tag. */
export interface DeployedNetworkInterface {
  readonly id: string;
  readonly memberName: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
}

/** A member's volume as EC2 reports it (DescribeVolumes), found by its `etcd:member` and `etcd:volume` tags. */
export interface DeployedVolume {
  readonly id: string;
  readonly memberName: string;
  readonly role: VolumeRole;
  readonly availabilityZone: string;
  /** The key EC2 encrypted it with (a key ARN; AWS's default EBS key when the config named none). */
  readonly kmsKeyId: string;
}

/** What the lookups found: the config's subnets with their AZs, and the cluster's existing ENIs and volumes. */
export interface MemberReplacementFacts {
  /** Each of ClusterConfig.subnetIds, in order, with its AZ (DescribeSubnets). */
  readonly subnets: readonly { readonly id: string; readonly availabilityZone: string }[];
  readonly networkInterfaces: readonly DeployedNetworkInterface[];
  readonly volumes: readonly DeployedVolume[];
}

/** The config keys the rule reads. */
export type MemberReplacementConfig = Pick<ClusterConfig, "clusterName" | "members" | "subnetIds" | "kmsKeyId" | "allowMemberReplacement">;

const SWITCH = configKey(["allowMemberReplacement"]);

/** What a config change would replace of one member whose subnet changes, or undefined when nothing. */
function memberSubnetProblem(
  member: { readonly name: string; readonly subnetIndex: number },
  config: MemberReplacementConfig,
  facts: MemberReplacementFacts,
): ConfigProblem | undefined {
  const subnetId = config.subnetIds[member.subnetIndex];
  const zone = facts.subnets.find((subnet) => subnet.id === subnetId)?.availabilityZone;
  const lost: string[] = [];
  for (const eni of facts.networkInterfaces.filter((candidate) => candidate.memberName === member.name)) {
    if (eni.subnetId !== subnetId) lost.push(`its network interface ${eni.id} (in ${eni.subnetId}, ${eni.availabilityZone}: its address)`);
  }
  const volumes = facts.volumes.filter((candidate) => candidate.memberName === member.name && zone !== undefined && candidate.availabilityZone !== zone);
  for (const role of ["data", "wal"] as const) {
    for (const volume of volumes.filter((candidate) => candidate.role === role)) {
      lost.push(`its ${role === "data" ? "data" : "WAL"} volume ${volume.id} (in ${volume.availabilityZone}: its ${role === "data" ? "data" : "log"})`);
    }
  }
  if (lost.length === 0) return undefined;
  const previous = facts.networkInterfaces.find((eni) => eni.memberName === member.name)?.subnetId;
  const restore =
    previous === undefined
      ? "Restore the previous subnet list"
      : `Put ${previous} back at this position (members are placed round-robin by position; add new subnets at the end)`;
  return configProblem(
    ["subnetIds", member.subnetIndex],
    subnetId,
    `this places member ${member.name} in ${subnetId}${zone === undefined ? "" : ` (${zone})`}, but EC2 cannot move an ENI to another ` +
      `subnet or a volume to another AZ: ${lost.join(", ")} would be replaced and the member would lose ${lost.length > 1 ? "them" : "it"}. ` +
      `${restore}, or, for a deliberate migration of this member, set ${SWITCH} to true for one \`pulumi up\``,
  );
}

/** The volumes whose KMS key differs from `kmsKeyId`: a volume's key cannot change, so each would be replaced. */
function kmsKeyProblem(config: MemberReplacementConfig, facts: MemberReplacementFacts, staying: ReadonlySet<string>): ConfigProblem | undefined {
  const wanted = config.kmsKeyId;
  if (wanted === undefined) return undefined; // absent: the provider keeps each volume's key (kms_key_id is computed)
  const differing = facts.volumes.filter((volume) => staying.has(volume.memberName) && volume.kmsKeyId !== wanted);
  if (differing.length === 0) return undefined;
  const keys = [...new Set(differing.map((volume) => volume.kmsKeyId))];
  return configProblem(
    ["kmsKeyId"],
    wanted,
    `the members' volumes are encrypted with ${keys.join(", ")} (${differing.map((volume) => `${volume.memberName} ${volume.role} ${volume.id}`).join(", ")}); ` +
      `a volume's key cannot change, so every one of them would be replaced and its data lost. Set ${configKey(["kmsKeyId"])} back to ` +
      `${keys.length === 1 ? keys[0] : "the key the volumes use"}; to move to another key, build a new cluster with it and restore a snapshot ` +
      `into it (restore.snapshotUri), or set ${SWITCH} to true for one \`pulumi up\` if losing the data is intended`,
  );
}

/**
 * Every member ENI or volume the config would replace: a member placed in another subnet (a
 * reordered or changed `subnetIds`), another AZ, or volumes under another KMS key. Errors, or
 * warnings when `allowMemberReplacement` is true. Members the config drops (a shrink) and members
 * with nothing deployed yet (a new cluster, a scale-up) are not judged.
 */
export function checkMemberReplacement(config: MemberReplacementConfig, facts: MemberReplacementFacts): RuleFindings {
  const members = planTopology(config.clusterName, config.members, config.subnetIds.length).members;
  const staying = new Set(members.map((member) => member.name));
  const problems = [...members.map((member) => memberSubnetProblem(member, config, facts)), kmsKeyProblem(config, facts, staying)].filter(
    (problem) => problem !== undefined,
  );
  if (problems.length === 0) return NO_FINDINGS;
  return config.allowMemberReplacement ? { errors: [], warnings: problems } : { errors: problems, warnings: [] };
}
