/**
 * Reading the stub S3 the backup script uploads to: the snapshot objects of a cluster, their
 * metadata, and what etcdutl says about a snapshot file.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { snapshotKeyPrefix } from "../../../src/core/member/scripts/backup-script";
import { etcdBinaries } from "../../../dev/local-cluster/etcd-binaries";
import type { StubS3 } from "./member-scripts";

/** `s3://` URIs of the cluster's snapshot objects, sorted. */
export function snapshotObjects(s3: StubS3, bucket: string, clusterName: string): string[] {
  const prefix = snapshotKeyPrefix(clusterName);
  const dir = join(s3.root, bucket, prefix);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.endsWith(".metadata"))
    .sort()
    .map((name) => `s3://${bucket}/${prefix}${name}`);
}

/** The user metadata stored with an object. */
export function objectMetadata(s3: StubS3, uri: string): Record<string, string> {
  const lines = readFileSync(`${s3.objectFile(uri)}.metadata`, "utf8")
    .split("\n")
    .filter(Boolean);
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

/** `etcdutl snapshot status -w json`: what etcd's own tool reads from a snapshot file. */
export interface SnapshotStatus {
  readonly hash: number;
  readonly revision: number;
  readonly totalKey: number;
  readonly totalSize: number;
}

/** Runs `etcdutl snapshot status` on a file (etcdutl reads files only: no namespace needed); throws if it refuses. */
export function etcdutlStatus(file: string): SnapshotStatus {
  const out = execFileSync(etcdBinaries().etcdutl, ["snapshot", "status", "-w", "json", file], { encoding: "utf8" });
  return JSON.parse(out) as SnapshotStatus;
}
