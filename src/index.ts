/** The etcd-cluster component library: build an EtcdCluster from a validated ClusterConfig. */
export { EtcdCluster, ETCD_CLUSTER_TYPE, type EtcdClusterArgs, type MemberSummary } from "./pulumi/cluster";
export { ClusterConfigError, resolveClusterConfig, type ClusterConfig, type ConfigProblem, type ResolvedClusterConfig } from "./core/config";
export { readClusterConfig } from "./pulumi/stack-config";
export { instanceArchitecture } from "./core/plan/architecture";
export { checkPlacement } from "./pulumi/placement-check";
export { checkEtcdVersionChange } from "./pulumi/etcd-upgrade-check";
export { checkMemberChanges } from "./pulumi/member-replacement-check";
export { checkAgainstAccount } from "./pulumi/account-checks";
export { checkCaRotation } from "./pulumi/ca-rotation-check";
export { liveMemberInstances } from "./pulumi/live-member-instances";
export { TAG_KEYS } from "./core/aws/tags";
