/** The etcd-cluster component library: build an EtcdCluster from a validated ClusterConfig. */
export { EtcdCluster, ETCD_CLUSTER_TYPE, type EtcdClusterArgs, type MemberSummary } from "./cluster";
export {
  ClusterConfigError,
  readClusterConfig,
  resolveClusterConfig,
  type ClusterConfig,
  type ConfigProblem,
  type ResolvedClusterConfig,
} from "./config";
export { instanceArchitecture } from "./aws/architecture";
export { checkPlacement } from "./aws/placement-check";
export { checkEtcdVersionChange } from "./aws/etcd-upgrade-check";
export { TAG_KEYS } from "./aws/tags";
