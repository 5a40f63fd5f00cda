/**
 * Runs the rendered backup and restore scripts on a harness member, as on its host: inside the
 * member's network namespace, with the member's host paths mapped under its temp root exactly as
 * the harness maps its etcd config (host-paths.ts). Two more host facts are mapped the same way:
 * the volumes' mount points (under the root) and the owner of restored directories (the test runs
 * etcd as root). The AWS CLI is the stub (aws-stub.sh), the only substituted program.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { configValue, mapHostPath } from "../support/host-paths";
import { BACKUP_SCRIPT_PATH } from "../../../components/etcd/backup-units";
import { renderBackupScript } from "../../../components/etcd/backup-script";
import { DEFAULT_VOLUME_MOUNT_POINTS, type VolumeMountPoints } from "../../../components/etcd/paths";
import { RESTORE_SCRIPT_PATH, renderRestoreScript } from "../../../components/etcd/restore-script";
import type { EtcdHostPaths, MemberEndpoint } from "../../../components/etcd/types";
import { onCleanup } from "../support/cleanup";
import { etcdBinaries } from "../support/etcd-binaries";
import type { EtcdMember } from "../support/etcd-member";
import type { LocalCluster } from "../support/local-cluster";
import { execInNamespace, type CommandResult } from "../support/namespace-exec";

/** Owner of restored directories in the tests: the harness runs etcd as root. */
const TEST_ETCD_OWNER = "root";

/** The stub S3: a temp directory, and a bin directory holding the `aws` stub. */
export class StubS3 {
  readonly root: string;
  private readonly binDir: string;
  private readonly remove: () => void;

  constructor() {
    const dir = mkdtempSync(join(tmpdir(), "etcd-e2e-s3-"));
    this.remove = onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    this.root = join(dir, "s3");
    this.binDir = join(dir, "bin");
    mkdirSync(this.root);
    mkdirSync(this.binDir);
    copyFileSync(join(__dirname, "aws-stub.sh"), join(this.binDir, "aws"));
    chmodSync(join(this.binDir, "aws"), 0o755);
  }

  /** The file holding object `s3://bucket/key`. */
  objectFile(uri: string): string {
    return join(this.root, uri.replace(/^s3:\/\//, ""));
  }

  /** Environment of a script run: the stub first on PATH, then the etcd binaries. */
  environment(): Record<string, string> {
    return { PATH: `${this.binDir}:${etcdBinaries().binDir}:${process.env["PATH"] ?? ""}`, AWS_STUB_S3_ROOT: this.root };
  }

  destroy(): void {
    this.remove();
  }
}

/** A member's host paths and mount points, mapped under its temp root. */
export function mappedHostPaths(member: EtcdMember): { paths: EtcdHostPaths; mounts: VolumeMountPoints } {
  return {
    paths: { dataDir: member.dataDir, walDir: member.walDir, certDir: dirname(member.peerIdentityFiles.caFile) },
    mounts: {
      data: mapHostPath(member.root, DEFAULT_VOLUME_MOUNT_POINTS.data),
      wal: mapHostPath(member.root, DEFAULT_VOLUME_MOUNT_POINTS.wal),
    },
  };
}

/** Installs `script` at its host path under the member's root and runs it in the member's namespace. */
function runOnMember(member: EtcdMember, hostPath: string, script: string, s3: StubS3): Promise<CommandResult> {
  const file = mapHostPath(member.root, hostPath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, script, { mode: 0o755 });
  return execInNamespace(member.namespace, [file], s3.environment());
}

/** Runs the rendered backup script on a member. */
export function runBackupScript(member: EtcdMember, clusterName: string, bucketName: string, s3: StubS3): Promise<CommandResult> {
  const { paths, mounts } = mappedHostPaths(member);
  const script = renderBackupScript({ clusterName, memberName: member.name, bucketName, paths, mounts });
  return runOnMember(member, BACKUP_SCRIPT_PATH, script, s3);
}

/** The members of a cluster as the program addresses them. */
function endpointsOf(cluster: LocalCluster): MemberEndpoint[] {
  return cluster.members.map((member) => ({ name: member.name, ip: member.ip, dnsName: member.ip }));
}

/**
 * Runs the rendered restore script on a member that has not started, after "mounting its volumes"
 * (creating the mapped mount points, as the boot script's mounts would exist).
 */
export function runRestoreScript(cluster: LocalCluster, member: EtcdMember, snapshotUri: string, s3: StubS3): Promise<CommandResult> {
  const { paths, mounts } = mappedHostPaths(member);
  mkdirSync(mounts.data, { recursive: true });
  mkdirSync(mounts.wal, { recursive: true });
  const script = renderRestoreScript({
    snapshotUri,
    member: { name: member.name, ip: member.ip, dnsName: member.ip },
    cluster: endpointsOf(cluster),
    clusterToken: configValue(readFileSync(member.configPath, "utf8"), "initial-cluster-token"),
    paths,
    mounts,
    owner: TEST_ETCD_OWNER,
  });
  return runOnMember(member, RESTORE_SCRIPT_PATH, script, s3);
}
