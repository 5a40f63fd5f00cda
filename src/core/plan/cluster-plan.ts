/**
 * The cluster plan: everything the Pulumi layer needs from a validated config, derived once and in
 * one place (pure: the same config gives the same plan). src/pulumi/cluster.ts and member.ts only
 * declare resources from it and render each member's files (src/core/member/member-boot.ts) from it
 * and the values AWS assigns (addresses, volume IDs, the bucket's name).
 */
import { DEFAULT_HEALTH_GATE_LIMITS, DEFAULT_PRE_DISRUPTION_GATE_LIMITS, type GateLimits } from "../aws/gate-limits";
import { bootstrapGateCondition, type HealthGateCondition } from "../aws/health-gate-command";
import { caParameterName, memberListParameterName, memberParameterPath } from "../member/ssm-parameters";
import type { ClusterConfig } from "../config/types";
import { faultToleranceLine, planTopology } from "../etcd/topology";
import { deriveTuning } from "../etcd/tuning";
import type { CpuArchitecture, EtcdTuning } from "../etcd/types";
import { etcdReleaseArtifact, type EtcdReleaseArtifact } from "../etcd/versions";
import { backupIntervalSeconds } from "../formats/calendar-interval";
import { instanceArchitecture } from "./architecture";

/** The limits `etcd-ops status` checks a cluster against (ops/etcd-ops/status-report.ts reads the same shape). */
export interface OperatingLimits {
  /** `quota-backend-bytes` of every member. */
  readonly quotaBackendBytes: number;
  /** Longest gap between two scheduled snapshots (backup.snapshotSchedule), seconds. */
  readonly backupIntervalSeconds: number;
  /** `pki.earlyRenewalHours`. */
  readonly certificateRenewalHours: number;
}

/** One member as planned: known before any resource exists. */
export interface MemberPlan {
  /** etcd member name, `<cluster>-<index>`: stable for the member's life. */
  readonly name: string;
  /** 0-based position: names its resources and decides its defrag slot. */
  readonly index: number;
  /** Index into ClusterConfig.subnetIds (round-robin): the member's subnet and AZ. */
  readonly subnetIndex: number;
  /** The member's subnet. */
  readonly subnetId: string;
  /** The member's own SSM parameter path, readable only by it (member/ssm-parameters.ts). */
  readonly parameterPath: string;
  /** What the member's health gate waits for when it is first created, as the cluster bootstraps. */
  readonly gateConditionAtCreate: HealthGateCondition;
}

/** Everything about a cluster that follows from its config alone. */
export interface ClusterPlan {
  readonly clusterName: string;
  /**
   * `initial-cluster-token`: the cluster name is unique per stack and account, so members of two
   * clusters never join each other (their certificates would refuse it too).
   */
  readonly clusterToken: string;
  /** The members in member order: the rollout's order too. */
  readonly members: readonly MemberPlan[];
  /** Members that must agree for a write. */
  readonly quorum: number;
  /** E.g. "5 members: quorum 3, tolerates 2 failed members". */
  readonly faultToleranceLine: string;
  /** etcd name of the first member: every size keeps it, so it runs the other members' removals. */
  readonly removalRunsOn: string;
  /** The instance type's CPU architecture: decides the image and the etcd tarball. */
  readonly architecture: CpuArchitecture;
  /** etcd's tuning as every member runs it (etcd/tuning.ts). */
  readonly tuning: EtcdTuning;
  /** The pinned etcd release for the members' architecture. */
  readonly etcd: EtcdReleaseArtifact;
  /** The CA certificate's SSM parameter, readable by every member. */
  readonly caParameterName: string;
  /** The SSM parameter listing the members' names; the member removals read it (member/ssm-parameters.ts). */
  readonly memberListParameterName: string;
  /** How long each member's health gate waits before it fails the deployment. */
  readonly gateLimits: GateLimits;
  /** How often each member's pre-disruption gate asks again after a refusal (aws/cluster-gate-command.ts). */
  readonly preDisruptionGateLimits: GateLimits;
  /** What `etcd-ops status` holds the cluster to. */
  readonly operatingLimits: OperatingLimits;
}

/** The plan of a validated, defaulted config (src/core/config has checked every value it reads). */
export function planCluster(config: ClusterConfig): ClusterPlan {
  const topology = planTopology(config.clusterName, config.members, config.subnetIds.length);
  const architecture = instanceArchitecture(config.instanceType);
  const tuning = deriveTuning(config.tuning, config.dataVolume.sizeGiB);
  const members = topology.members.map((spec): MemberPlan => ({
    ...spec,
    subnetId: config.subnetIds[spec.subnetIndex],
    parameterPath: memberParameterPath(config.clusterName, spec.name),
    gateConditionAtCreate: bootstrapGateCondition(spec.index, topology.quorum),
  }));
  return {
    clusterName: config.clusterName,
    clusterToken: config.clusterName,
    members,
    quorum: topology.quorum,
    faultToleranceLine: faultToleranceLine(topology.size),
    removalRunsOn: members[0].name,
    architecture,
    tuning,
    etcd: etcdReleaseArtifact(config.etcdVersion, architecture, config.etcdDownloadBaseUrl),
    caParameterName: caParameterName(config.clusterName),
    memberListParameterName: memberListParameterName(config.clusterName),
    gateLimits: DEFAULT_HEALTH_GATE_LIMITS,
    preDisruptionGateLimits: DEFAULT_PRE_DISRUPTION_GATE_LIMITS,
    operatingLimits: {
      quotaBackendBytes: tuning.quotaBackendBytes,
      backupIntervalSeconds: backupIntervalSeconds(config.backup.snapshotSchedule),
      certificateRenewalHours: config.pki.earlyRenewalHours,
    },
  };
}
