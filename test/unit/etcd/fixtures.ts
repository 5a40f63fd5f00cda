/** Inputs shared by the renderer tests: a realistic member of a 3-member cluster and its variants. */
import type { TuningSettings } from "../../../src/core/config/types";
import { renderBackupScript } from "../../../src/core/member/scripts/backup-script";
import { renderBackupUnits } from "../../../src/core/member/backup-units";
import { certificatesFingerprint, type MemberCertificatePems } from "../../../src/core/member/certificates-fingerprint";
import type { MemberCloudInitInput } from "../../../src/core/member/cloud-init";
import { renderDefragScript } from "../../../src/core/member/scripts/defrag-script";
import { renderDefragUnits } from "../../../src/core/member/defrag-units";
import { type EtcdConfigInput, renderEtcdConfig } from "../../../src/core/member/etcd-config";
import { renderMemberMetricsScript } from "../../../src/core/member/scripts/member-metrics";
import { renderMemberMetricsUnits } from "../../../src/core/member/member-metrics-units";
import type { MemberFilesInput } from "../../../src/core/member/member-files";
import { DEFAULT_HOST_PATHS, DEFAULT_VOLUME_MOUNT_POINTS, ETCD_USER } from "../../../src/core/member/ports-and-paths";
import { renderRestoreScript } from "../../../src/core/member/scripts/restore-script";
import { renderEtcdUnit } from "../../../src/core/member/systemd";
import { possibleMemberNames } from "../../../src/core/etcd/topology";
import { deriveTuning } from "../../../src/core/etcd/tuning";
import type { MemberEndpoint } from "../../../src/core/etcd/types";
import { etcdReleaseArtifact } from "../../../src/core/etcd/versions";

export const TUNING_SETTINGS: TuningSettings = {
  peerRttMs: 2,
  snapshotCount: 10000,
  autoCompactionMode: "periodic",
  autoCompactionRetention: "0",
  maxRequestBytes: 1572864,
};

/** `size` members named like planTopology names them, one per subnet of a 10.0.0.0/16 VPC. */
export function clusterOf(size: number, clusterName = "etcd-test"): MemberEndpoint[] {
  return Array.from({ length: size }, (_, index) => ({
    name: `${clusterName}-${index}`,
    ip: `10.0.${index}.10`,
    dnsName: `ip-10-0-${index}-10.eu-west-1.compute.internal`,
  }));
}

/** A certificate-shaped PEM whose body names what it stands for. */
export function certificatePem(label: string): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(label).toString("base64")}\n-----END CERTIFICATE-----\n`;
}

/** The certificates of `memberName` in a cluster whose CA is `ca`. */
export function memberCertificatePems(memberName: string, ca = "etcd-test CA"): MemberCertificatePems {
  return {
    caCertPem: certificatePem(ca),
    serverCertPem: certificatePem(`${memberName} server`),
    peerCertPem: certificatePem(`${memberName} peer`),
  };
}

/** Config input of member `index` of `cluster`. */
export function configInput(cluster: readonly MemberEndpoint[], index = 0, version = "3.6.14"): EtcdConfigInput {
  return {
    member: cluster[index],
    cluster,
    clusterToken: "etcd-test-4f3c2a",
    // The cluster name is the member names' common stem (topology.ts memberName).
    peerNames: possibleMemberNames(cluster[0].name.replace(/-\d+$/, "")),
    version,
    paths: DEFAULT_HOST_PATHS,
    tuning: deriveTuning(TUNING_SETTINGS, 20),
    initialClusterState: "new",
  };
}

/**
 * The files input of member `index` of `cluster`, with its rendered config, units, backup and defrag
 * scripts, and a restore script when `restoreSnapshotUri` is given.
 */
export function memberFilesInput(cluster: readonly MemberEndpoint[], index = 0, options: { mirror?: string; restoreSnapshotUri?: string } = {}): MemberFilesInput {
  const member = cluster[index];
  const clusterName = member.name.replace(/-\d+$/, "");
  return {
    memberName: member.name,
    dataVolumeId: `vol-0a1b2c3d4e5f6070${index}`,
    walVolumeId: `vol-0f1e2d3c4b5a6970${index}`,
    etcd: etcdReleaseArtifact("3.6.14", "amd64", options.mirror),
    secrets: {
      region: "eu-west-1",
      memberParameterPath: `/etcd/etcd-test/members/${member.name}`,
      caParameterName: "/etcd/etcd-test/ca.crt",
    },
    paths: DEFAULT_HOST_PATHS,
    mounts: DEFAULT_VOLUME_MOUNT_POINTS,
    etcdConfigYaml: renderEtcdConfig(configInput(cluster, index)),
    unit: renderEtcdUnit({ memberName: member.name, paths: DEFAULT_HOST_PATHS, mounts: DEFAULT_VOLUME_MOUNT_POINTS }),
    backupScript: renderBackupScript({
      clusterName,
      memberName: member.name,
      bucketName: `${clusterName}-backups-0a1b2c3`,
      paths: DEFAULT_HOST_PATHS,
      mounts: DEFAULT_VOLUME_MOUNT_POINTS,
      region: "eu-west-1",
      quotaBackendBytes: configInput(cluster, index).tuning.quotaBackendBytes,
    }),
    backupUnits: renderBackupUnits({ memberName: member.name, schedule: "*:0/30", mounts: DEFAULT_VOLUME_MOUNT_POINTS }),
    defragScript: renderDefragScript({
      memberName: member.name,
      paths: DEFAULT_HOST_PATHS,
      quotaBackendBytes: configInput(cluster, index).tuning.quotaBackendBytes,
    }),
    defragUnits: renderDefragUnits({ memberName: member.name, memberIndex: index }),
    memberMetricsScript: renderMemberMetricsScript({
      clusterName,
      memberName: member.name,
      region: "eu-west-1",
      paths: DEFAULT_HOST_PATHS,
      mounts: DEFAULT_VOLUME_MOUNT_POINTS,
      backupIntervalSeconds: 1800,
      renewalWindowSeconds: 30 * 86400,
    }),
    memberMetricsUnits: renderMemberMetricsUnits(member.name),
    restoreScript:
      options.restoreSnapshotUri === undefined
        ? undefined
        : renderRestoreScript({
            snapshotUri: options.restoreSnapshotUri,
            snapshotSha256: "5f2b1c0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b",
            member,
            cluster,
            clusterToken: "etcd-test-4f3c2a",
            paths: DEFAULT_HOST_PATHS,
            mounts: DEFAULT_VOLUME_MOUNT_POINTS,
            owner: ETCD_USER,
          }),
  };
}

/** The user data input of member `memberName`: its bundle in a backup bucket of the test cluster. */
export function cloudInitInput(memberName: string, options: Partial<MemberCloudInitInput> = {}): MemberCloudInitInput {
  const bundleSha256 = options.bundleSha256 ?? "5".repeat(64);
  return {
    memberName,
    osImage: "al2023",
    etcd: etcdReleaseArtifact("3.6.14", "amd64"),
    region: "eu-west-1",
    bundleUri: `s3://etcd-test-backups-0a1b2c3/etcd-test/members/${memberName}/bundle-${bundleSha256}.tar.gz`,
    bundleSha256,
    certificatesFingerprint: certificatesFingerprint(memberCertificatePems(memberName)),
    ...options,
  };
}
