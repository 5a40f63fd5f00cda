/**
 * The etcd-cluster program: one EtcdCluster per stack, configured by the stack's `etcd-cluster:*`
 * keys (stacks/Pulumi.<stack>.yaml). A config problem stops here, before any resource exists.
 */
import { EtcdCluster, readClusterConfig } from "./components";

const { config, warnings } = readClusterConfig();
// The cluster name names the component, and so every resource: it is fixed for the cluster's life
// anyway, since every etcd member name derives from it.
const cluster = new EtcdCluster(config.clusterName, { config, configWarnings: warnings });

export const clientEndpoints = cluster.clientEndpoints;
export const caCertificate = cluster.caCertificate;
export const adminClientCertificate = cluster.adminClientCertificate;
export const adminClientKey = cluster.adminClientKey;
export const kubeApiserverClientCertificate = cluster.kubeApiserverClientCertificate;
export const kubeApiserverClientKey = cluster.kubeApiserverClientKey;
export const etcdctlEnvironment = cluster.etcdctlEnvironment;
export const kubeApiserverFlags = cluster.kubeApiserverFlags;
export const members = cluster.members;
export const faultTolerance = cluster.faultTolerance;
export const certificateExpiries = cluster.certificateExpiries;
export const securityGroupId = cluster.securityGroupId;
export const backupBucket = cluster.backupBucket;
export const deployerPolicy = cluster.deployerPolicy;
