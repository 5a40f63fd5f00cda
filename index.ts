/**
 * The etcd-cluster program: one EtcdCluster per stack, configured by the stack's `etcd-cluster:*`
 * keys (stacks/Pulumi.<stack>.yaml). A config problem stops here, before any resource exists, and
 * so does a placement problem the account's lookups reveal (a pinned image of the wrong
 * architecture, an instance type missing in a subnet's AZ or a subnet outside `vpcId`), a change
 * that would replace a running member's ENI or volumes, an `etcdVersion` the running members
 * cannot move to, and a `pki.caRotation` stage they cannot take next (src/pulumi/account-checks.ts).
 * The cluster's live instances are read once, for those checks and for the rollout order.
 */
import { checkAgainstAccount, EtcdCluster, liveMemberInstances, readClusterConfig } from "./src";

export = async () => {
  const { config, warnings } = readClusterConfig();
  const liveInstances = await liveMemberInstances(config.clusterName);
  const accountWarnings = await checkAgainstAccount(config, liveInstances);
  // The cluster name names the component, and so every resource: it is fixed for the cluster's life
  // anyway, since every etcd member name derives from it.
  const cluster = new EtcdCluster(config.clusterName, { config, configWarnings: [...warnings, ...accountWarnings], liveInstances });

  return {
    clientEndpoints: cluster.clientEndpoints,
    caCertificate: cluster.caCertificate,
    adminClientCertificate: cluster.adminClientCertificate,
    adminClientKey: cluster.adminClientKey,
    kubeApiserverClientCertificate: cluster.kubeApiserverClientCertificate,
    kubeApiserverClientKey: cluster.kubeApiserverClientKey,
    etcdctlEnvironment: cluster.etcdctlEnvironment,
    kubeApiserverFlags: cluster.kubeApiserverFlags,
    members: cluster.members,
    faultTolerance: cluster.faultTolerance,
    certificateExpiries: cluster.certificateExpiries,
    securityGroupId: cluster.securityGroupId,
    backupBucket: cluster.backupBucket,
    deployerPolicy: cluster.deployerPolicy,
    clusterName: cluster.clusterName,
    alarmTopicArn: cluster.alarmTopicArn,
    operatingLimits: cluster.operatingLimits,
  };
};
