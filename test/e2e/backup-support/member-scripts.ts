/**
 * Runs the backup, restore and defrag scripts the program installs on a member (its user data's
 * files, MemberBlueprint.installedFiles) on a harness member, as on its host: inside the member's
 * network namespace, with the script's host paths mapped under the member's temp root exactly as
 * the harness maps its etcd config (host-paths.ts mapScriptHostPaths). The AWS CLI is the stub
 * (dev/member-host/aws-cli-stub.sh), the only substituted program.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  BACKUP_SCRIPT_PATH,
  DEFRAG_SCRIPT_PATH,
  DEFAULT_VOLUME_MOUNT_POINTS,
  ETCD_USER,
  type VolumeMountPoints,
  RESTORE_SCRIPT_PATH,
} from "../../../src/core/member/ports-and-paths";
import { restoreMarkerPath } from "../../../src/core/member/scripts/restore-script";
import { shellQuote } from "../../../src/core/formats/shell-quote";
import type { ClusterBlueprint } from "../../../dev/local-cluster/blueprint";
import { onCleanup } from "../../../dev/local-cluster/cleanup";
import { etcdBinaries, repoPath } from "../../../dev/local-cluster/etcd-binaries";
import type { EtcdMember } from "../../../dev/local-cluster/etcd-member";
import { mapHostPath, mapScriptHostPaths } from "../../../dev/local-cluster/host-paths";
import { execInNamespace, type CommandResult } from "../../../dev/local-cluster/namespace-exec";

/**
 * The restore script hands the restored directories to the etcd user (`chown -R etcd`); the test
 * machine has no such user and the harness runs etcd as root, so in the tests they go to root.
 * This owner is the one thing of the installed restore script changed besides host paths.
 */
const TEST_OWNER_SUBSTITUTION = {
  installed: `readonly OWNER=${shellQuote(ETCD_USER)}\n`,
  test: `readonly OWNER=${shellQuote("root")}\n`,
} as const;

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
    copyFileSync(repoPath("dev/member-host/aws-cli-stub.sh"), join(this.binDir, "aws"));
    chmodSync(join(this.binDir, "aws"), 0o755);
  }

  /** Creates an empty bucket, as the program's BackupBucket is before the first snapshot. */
  createBucket(bucket: string): void {
    mkdirSync(join(this.root, bucket), { recursive: true });
  }

  /** The file holding object `s3://bucket/key`. */
  objectFile(uri: string): string {
    return join(this.root, uri.replace(/^s3:\/\//, ""));
  }

  /** Stores `content` as object `uri`, without user metadata (as an upload by hand would). */
  putObject(uri: string, content: Buffer): void {
    const file = this.objectFile(uri);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    rmSync(`${file}.metadata`, { force: true });
  }

  /** Copies object `from` with its user metadata to `to`, as `aws s3 cp s3://… s3://…` does. */
  copyObject(from: string, to: string): void {
    const [source, target] = [this.objectFile(from), this.objectFile(to)];
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
    if (existsSync(`${source}.metadata`)) copyFileSync(`${source}.metadata`, `${target}.metadata`);
    else rmSync(`${target}.metadata`, { force: true });
  }

  /** The CloudWatch metric data published so far, as `<namespace> <metric> <value> <unit>` lines. */
  publishedMetrics(): string[] {
    const file = join(dirname(this.root), "cloudwatch-metrics");
    return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
  }

  /** Environment of a script run: the stub first on PATH, then the etcd binaries. */
  environment(): Record<string, string> {
    return { PATH: `${this.binDir}:${etcdBinaries().binDir}:${process.env["PATH"] ?? ""}`, AWS_STUB_S3_ROOT: this.root };
  }

  destroy(): void {
    this.remove();
  }
}

/** A member's volume mount points, mapped under its temp root. */
export function mappedMounts(member: EtcdMember): VolumeMountPoints {
  return {
    data: mapHostPath(member.root, DEFAULT_VOLUME_MOUNT_POINTS.data),
    wal: mapHostPath(member.root, DEFAULT_VOLUME_MOUNT_POINTS.wal),
  };
}

/** The restore marker of a member, mapped under its temp root. */
export function mappedRestoreMarker(member: EtcdMember): string {
  return mapHostPath(member.root, restoreMarkerPath(DEFAULT_VOLUME_MOUNT_POINTS));
}

/** The file the program installs at `hostPath` on the member named like `member` in `blueprint`. */
function installedScript(blueprint: ClusterBlueprint, member: EtcdMember, hostPath: string): string {
  const script = blueprint.members.find((rendered) => rendered.name === member.name)?.installedFiles[hostPath];
  if (script === undefined) throw new Error(`the user data of ${member.name} installs no ${hostPath}`);
  return script;
}

/** Installs `script` at its host path, mapped under the member's root, and runs it in the member's namespace with `env`. */
function runOnMember(member: EtcdMember, hostPath: string, script: string, env: Record<string, string>): Promise<CommandResult> {
  const file = mapHostPath(member.root, hostPath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, mapScriptHostPaths(script, member.root), { mode: 0o755 });
  return execInNamespace(member.namespace, [file], env);
}

/** Runs the backup script `blueprint` installs on `member`, as its timer would. */
export function runBackupScript(blueprint: ClusterBlueprint, member: EtcdMember, s3: StubS3): Promise<CommandResult> {
  return runOnMember(member, BACKUP_SCRIPT_PATH, installedScript(blueprint, member, BACKUP_SCRIPT_PATH), s3.environment());
}

/**
 * Runs the defrag script `blueprint` installs on `member`, as its timer would, with the pinned
 * etcdctl on PATH, after `binDir` when given (a test's wrapper around a command).
 */
export function runDefragScript(blueprint: ClusterBlueprint, member: EtcdMember, binDir?: string): Promise<CommandResult> {
  const env = { PATH: [...(binDir === undefined ? [] : [binDir]), etcdBinaries().binDir, process.env["PATH"] ?? ""].join(":") };
  return runOnMember(member, DEFRAG_SCRIPT_PATH, installedScript(blueprint, member, DEFRAG_SCRIPT_PATH), env);
}

/**
 * Installs the restore script `blueprint` (a stack with `restore.snapshotUri` set) installs on the
 * member of that name at its host path (mapped), owner substituted, and creates the mapped mount
 * points as the boot script's mounts would; returns the installed file's path. Run it with
 * `s3.environment()`.
 */
export function installRestoreScript(blueprint: ClusterBlueprint, member: EtcdMember): string {
  const installed = installedScript(blueprint, member, RESTORE_SCRIPT_PATH);
  if (!installed.includes(TEST_OWNER_SUBSTITUTION.installed)) {
    throw new Error(`the restore script of ${member.name} sets no ${TEST_OWNER_SUBSTITUTION.installed.trim()}`);
  }
  const mounts = mappedMounts(member);
  mkdirSync(mounts.data, { recursive: true });
  mkdirSync(mounts.wal, { recursive: true });
  const file = mapHostPath(member.root, RESTORE_SCRIPT_PATH);
  mkdirSync(dirname(file), { recursive: true });
  const script = installed.replace(TEST_OWNER_SUBSTITUTION.installed, TEST_OWNER_SUBSTITUTION.test);
  writeFileSync(file, mapScriptHostPaths(script, member.root), { mode: 0o755 });
  return file;
}

/**
 * Runs the restore script `blueprint` installs on the member of that name, as root, as the boot
 * script would after mounting the volumes and before etcd starts.
 */
export function runRestoreScript(blueprint: ClusterBlueprint, member: EtcdMember, s3: StubS3): Promise<CommandResult> {
  return execInNamespace(member.namespace, [installRestoreScript(blueprint, member)], s3.environment());
}
