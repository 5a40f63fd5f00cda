import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupBucket } from "./backup-bucket";
import { stackDeployerPolicy } from "../core/aws/deployer-policy";
import { ClusterAlarms } from "./cluster-alarms";
import { memberImageId } from "./image";
import { createEtcdMember, type EtcdMemberResources } from "./member";
import { createMemberListParameter } from "./member-list-parameter";
import { createMemberNetworkInterface } from "./member-network-interface";
import type { PolicyDocument } from "../core/aws/policy-document";
import { createCaParameter } from "./member-secrets";
import { createClusterSecurityGroup } from "./security-group";
import { clusterTags, memberTags, TAG_KEYS } from "../core/aws/tags";
import { VolumeSnapshotPolicy } from "./volume-snapshots";
import { kubeApiserverEtcdFlags, renderEtcdctlEnvironment } from "../core/plan/client-access";
import type { ClusterConfig, ConfigProblem } from "../core/config/types";
import type { MemberEndpoint } from "../core/etcd/types";
import { planCluster, type OperatingLimits } from "../core/plan/cluster-plan";
import { createClusterPki } from "./pki";
import { rolloutOrder } from "../core/plan/rollout-order";
import { createMemberRemovals } from "./member-removal";
import { clientUrl, peerUrl } from "../core/member/endpoints";

/** Arguments of an EtcdCluster: plain values, since they decide how many resources exist. */
export interface EtcdClusterArgs {
  /** The validated, defaulted cluster configuration (src/core/config `readClusterConfig`). */
  readonly config: ClusterConfig;
  /**
   * Problems the config check let pass (e.g. fewer AZs than the size needs); the component logs
   * each as a warning. Default: none.
   */
  readonly configWarnings?: readonly ConfigProblem[];
  /**
   * The cluster's live instances, read before anything is declared (`liveMemberInstances`; none for
   * a new cluster): members whose instance is not running roll first (core/plan/rollout-order.ts).
   */
  readonly liveInstances: readonly aws.ec2.GetInstanceResult[];
}

/** One row of the member table. */
export interface MemberSummary {
  /** etcd member name. */
  readonly name: string;
  /** AZ of the member's subnet, where its volumes live. */
  readonly availabilityZone: string;
  /** Private IPv4 address: the ENI's, stable across instance replacements. */
  readonly privateIp: string;
  /** Current EC2 instance; it changes when the member's instance is replaced. */
  readonly instanceId: string;
  /** EBS volume holding `data-dir`; never changes for the member's life. */
  readonly dataVolumeId: string;
  /** EBS volume holding `wal-dir`; never changes for the member's life. */
  readonly walVolumeId: string;
}

/** Pulumi type token of the component. */
export const ETCD_CLUSTER_TYPE = "etcd-cluster:index:EtcdCluster";

/** The AWS region from the provider config; members need it to read their secrets. */
function requireRegion(): string {
  const region = aws.config.region;
  if (region === undefined) throw new Error("aws:region is not set: run `pulumi config set aws:region <region>`");
  return region;
}

/**
 * A production etcd cluster on AWS: a security group, a backup bucket for etcd snapshots, a Data
 * Lifecycle Manager policy snapshotting the members' volumes, CloudWatch alarms with an SNS topic,
 * and per member an ENI, a data and a
 * WAL volume, an instance, TLS certificates delivered through SSM, an instance role scoped to them
 * and a health gate that rolls changes through the members one at a time.
 *
 * Children are named `<name>-…` (`<name>-member-0-data`), from the component's name and each
 * member's index only. Those names are part of every child's identity: a changed name replaces
 * the resource, and a replaced ENI or volume takes the member's address or data with it. So no
 * config value but the component's name enters them, and two clusters in one program need two
 * component names.
 */
export class EtcdCluster extends pulumi.ComponentResource {
  /** Every member's client URL, `https://<ip>:2379`, in member order. */
  readonly clientEndpoints: pulumi.Output<string[]>;
  /** The cluster CA certificate (PEM): trust anchor for clients and members; both CAs, old first, during a CA rotation's trust-both and reissue-leaves stages. */
  readonly caCertificate: pulumi.Output<string>;
  /** Client certificate (PEM) of `admin`, for etcdctl and operators. */
  readonly adminClientCertificate: pulumi.Output<string>;
  /** Private key (PEM) of the admin client certificate. Secret. */
  readonly adminClientKey: pulumi.Output<string>;
  /** Client certificate (PEM) for kube-apiserver (`--etcd-certfile`). */
  readonly kubeApiserverClientCertificate: pulumi.Output<string>;
  /** Private key (PEM) of kube-apiserver's client certificate (`--etcd-keyfile`). Secret. */
  readonly kubeApiserverClientKey: pulumi.Output<string>;
  /** Shell snippet: how to save the admin credentials, and the ETCDCTL_* variables that use them. */
  readonly etcdctlEnvironment: pulumi.Output<string>;
  /** kube-apiserver's `--etcd-servers`, `--etcd-cafile`, `--etcd-certfile` and `--etcd-keyfile` flags. */
  readonly kubeApiserverFlags: pulumi.Output<string[]>;
  /** The member table: name, AZ, IP, instance and volume IDs, in member order. */
  readonly members: pulumi.Output<MemberSummary[]>;
  /** E.g. "5 members: quorum 3, tolerates 2 failed members". */
  readonly faultTolerance: string;
  /** Expiry (RFC 3339) of every certificate: `ca`, `<member>/server`, `<member>/peer`, `client/<name>`. */
  readonly certificateExpiries: pulumi.Output<Record<string, string>>;
  /** The members' security group; allow it as a source where members must reach other services. */
  readonly securityGroupId: pulumi.Output<string>;
  /** Name of the S3 bucket holding the cluster's etcd snapshots (under `<clusterName>/snapshots/`). */
  readonly backupBucket: pulumi.Output<string>;
  /** The IAM policy the deployer needs for this cluster (aws/deployer-policy.ts), as a JSON document. */
  readonly deployerPolicy: PolicyDocument;
  /** ClusterConfig.clusterName: the `cluster` label of the scrape config, the CloudWatch namespace `etcd/<clusterName>`. */
  readonly clusterName: string;
  /** The SNS topic every CloudWatch alarm of the cluster notifies; subscribe to it. */
  readonly alarmTopicArn: pulumi.Output<string>;
  /** What `etcd-ops status` holds the cluster to: its quota, backup interval and certificate renewal window. */
  readonly operatingLimits: OperatingLimits;

  constructor(name: string, args: EtcdClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ETCD_CLUSTER_TYPE, name, {}, opts);
    const { config } = args;
    // Each message names its key, its value and the fix (src/core/config).
    for (const warning of args.configWarnings ?? []) void pulumi.log.warn(warning.message, this);

    const childOpts: pulumi.CustomResourceOptions = { parent: this };
    const region = requireRegion();
    const plan = planCluster(config);
    const zones = config.subnetIds.map((id) => aws.ec2.getSubnetOutput({ id }, { parent: this }).availabilityZone);
    const tagsOf = (nameTag: string) => clusterTags(config.tags, config.clusterName, nameTag);

    const securityGroup = createClusterSecurityGroup(
      name,
      {
        vpcId: config.vpcId,
        clientCidrs: config.clientCidrs,
        clientSecurityGroupIds: config.clientSecurityGroupIds,
        monitoringCidrs: config.monitoringCidrs,
        tags: tagsOf(config.clusterName),
      },
      childOpts,
    );

    // Every member's network identity first: each member's etcd config and certificates name them all.
    const placed = plan.members.map((spec) => {
      const resourcePrefix = `${name}-member-${spec.index}`;
      const networkInterface = createMemberNetworkInterface(
        resourcePrefix,
        {
          memberName: spec.name,
          subnetId: spec.subnetId,
          securityGroupId: securityGroup.id,
          tags: memberTags(config.tags, config.clusterName, spec.name, spec.name),
        },
        childOpts,
      );
      const endpoint = pulumi
        .all([networkInterface.privateIp, networkInterface.privateDnsName])
        .apply(([ip, dnsName]): MemberEndpoint => ({ name: spec.name, ip, dnsName }));
      return { spec, resourcePrefix, networkInterface, endpoint, availabilityZone: zones[spec.subnetIndex] };
    });
    const cluster = pulumi.all(placed.map((member) => member.endpoint));

    const pki = createClusterPki(
      name,
      {
        clusterName: config.clusterName,
        settings: config.pki,
        members: placed.map(({ spec, resourcePrefix, networkInterface }) => ({
          memberName: spec.name,
          resourcePrefix,
          ip: networkInterface.privateIp,
          dnsName: networkInterface.privateDnsName,
        })),
      },
      childOpts,
    );
    const caParameter = createCaParameter(
      name,
      config.clusterName,
      pki.trustBundle,
      { kmsKeyArn: config.kmsKeyId, tags: tagsOf(`${config.clusterName}-ca`) },
      childOpts,
    );
    const backupBucket = new BackupBucket(
      `${name}-backups`,
      {
        clusterName: config.clusterName,
        retentionDays: config.backup.retentionDays,
        protectData: config.protectData,
        kmsKeyId: config.kmsKeyId,
        tags: config.tags,
      },
      { parent: this },
    );
    // DLM selects the member instances by their TAG_KEYS.cluster tag (memberTags) and copies each
    // volume's own tags (member, `data`/`wal`) onto its snapshots.
    new VolumeSnapshotPolicy(
      `${name}-volume-snapshots`,
      {
        clusterName: config.clusterName,
        intervalHours: config.backup.volumeSnapshots.intervalHours,
        retainCount: config.backup.volumeSnapshots.retainCount,
        tags: config.tags,
      },
      { parent: this },
    );
    const imageId = memberImageId({ ami: config.ami, osImage: config.osImage, arch: plan.architecture }, { parent: this });

    // Members are built in rollout order, each instance after the previous member's health gate and
    // its own pre-disruption gate: a rollout never has more than one member down, and never starts
    // on a cluster that could not lose the member. Members whose instance is not running come first
    // (rollout-order.ts says why that is safe): an `up` can bring a member back that is down.
    const liveStates = args.liveInstances.map((instance) => ({ memberName: instance.tags[TAG_KEYS.member], state: instance.instanceState }));
    const built: EtcdMemberResources[] = [];
    let previous: EtcdMemberResources | undefined;
    for (const spec of rolloutOrder(plan.members, liveStates)) {
      const member = placed[spec.index];
      const resources = createEtcdMember(
        member.resourcePrefix,
        {
          member: member.spec,
          plan,
          config,
          networkInterface: member.networkInterface,
          availabilityZone: member.availabilityZone,
          endpoint: member.endpoint,
          cluster,
          imageId,
          certificates: pki.members[member.spec.index],
          caParameter,
          backupBucket,
          region,
          after: previous === undefined ? [] : [previous.healthGate],
        },
        childOpts,
      );
      built[spec.index] = resources;
      previous = resources;
    }
    // Removals run highest member first, one at a time, whatever the rollout order.
    const removals = createMemberRemovals(
      placed.map((member) => ({
        resourcePrefix: member.resourcePrefix,
        memberName: member.spec.name,
        peerUrl: member.endpoint.apply((endpoint) => peerUrl(endpoint.ip)),
        instance: built[member.spec.index].instance,
      })),
      { clusterName: config.clusterName, runOnMemberName: plan.removalRunsOn, region, memberListParameter: plan.memberListParameterName },
      childOpts,
    );
    createMemberListParameter(
      name,
      {
        parameterName: plan.memberListParameterName,
        memberNames: plan.members.map((member) => member.name),
        removals,
        tags: tagsOf(`${config.clusterName}-member-names`),
      },
      childOpts,
    );

    const alarms = new ClusterAlarms(
      `${name}-alarms`,
      {
        resourceNamePrefix: name,
        clusterName: config.clusterName,
        members: placed.map((member, index) => ({
          index: member.spec.index,
          name: member.spec.name,
          instanceId: built[index].instance.id,
          dataVolumeId: built[index].dataVolume.id,
          walVolumeId: built[index].walVolume.id,
        })),
        backupIntervalSeconds: plan.operatingLimits.backupIntervalSeconds,
        renewalWindowSeconds: plan.operatingLimits.certificateRenewalHours * 3600,
        tags: config.tags,
      },
      { parent: this },
    );

    this.clientEndpoints = cluster.apply((members) => members.map((member) => clientUrl(member.ip)));
    this.caCertificate = pki.trustBundle;
    this.adminClientCertificate = pki.clients.admin.certPem;
    this.adminClientKey = pulumi.secret(pki.clients.admin.privateKeyPem);
    this.kubeApiserverClientCertificate = pki.clients.kubeApiserver.certPem;
    this.kubeApiserverClientKey = pulumi.secret(pki.clients.kubeApiserver.privateKeyPem);
    this.etcdctlEnvironment = this.clientEndpoints.apply((endpoints) => renderEtcdctlEnvironment(config.clusterName, endpoints));
    this.kubeApiserverFlags = this.clientEndpoints.apply(kubeApiserverEtcdFlags);
    this.members = pulumi.all(
      placed.map((member, index) =>
        pulumi.output({
          name: member.spec.name,
          availabilityZone: member.availabilityZone,
          privateIp: member.networkInterface.privateIp,
          instanceId: built[index].instance.id,
          dataVolumeId: built[index].dataVolume.id,
          walVolumeId: built[index].walVolume.id,
        }),
      ),
    );
    this.faultTolerance = plan.faultToleranceLine;
    this.certificateExpiries = pki.expiries;
    this.securityGroupId = securityGroup.id;
    this.backupBucket = backupBucket.bucketName;
    this.deployerPolicy = stackDeployerPolicy(config, region);
    this.clusterName = config.clusterName;
    this.alarmTopicArn = alarms.topicArn;
    this.operatingLimits = plan.operatingLimits;

    this.registerOutputs({
      clientEndpoints: this.clientEndpoints,
      caCertificate: this.caCertificate,
      adminClientCertificate: this.adminClientCertificate,
      adminClientKey: this.adminClientKey,
      kubeApiserverClientCertificate: this.kubeApiserverClientCertificate,
      kubeApiserverClientKey: this.kubeApiserverClientKey,
      etcdctlEnvironment: this.etcdctlEnvironment,
      kubeApiserverFlags: this.kubeApiserverFlags,
      members: this.members,
      faultTolerance: this.faultTolerance,
      certificateExpiries: this.certificateExpiries,
      securityGroupId: this.securityGroupId,
      backupBucket: this.backupBucket,
      deployerPolicy: this.deployerPolicy,
      clusterName: this.clusterName,
      alarmTopicArn: this.alarmTopicArn,
      operatingLimits: this.operatingLimits,
    });
  }
}
