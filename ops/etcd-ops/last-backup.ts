/**
 * The newest etcd snapshot of a cluster in its backup bucket, read with the AWS CLI as the operator
 * (who may list the bucket; the members may not): `aws s3api list-objects-v2`, which pages through
 * the whole prefix itself.
 */
import { execFile } from "node:child_process";
import { snapshotKeyPrefix } from "../../src/core/member/scripts/backup-script";
import type { LastBackup } from "./status-report";

/** Seconds the listing may take. */
const LIST_TIMEOUT_MS = 60_000;

function listObjects(bucket: string, prefix: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const args = ["s3api", "list-objects-v2", "--bucket", bucket, "--prefix", prefix, "--query", "Contents[].[Key,LastModified]", "--output", "json"];
  return new Promise((resolve) => {
    execFile("aws", args, { encoding: "utf8", timeout: LIST_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ ok: error === null, stdout, stderr: stderr || (error?.message ?? "") }),
    );
  });
}

/** The newest object under `<cluster>/snapshots/` by LastModified, or why there is none. */
export async function newestSnapshot(bucket: string, clusterName: string): Promise<LastBackup> {
  const prefix = snapshotKeyPrefix(clusterName);
  const listed = await listObjects(bucket, prefix);
  if (!listed.ok) return { problem: `aws s3api list-objects-v2 of s3://${bucket}/${prefix}: ${listed.stderr.trim().split("\n").at(-1)}` };
  const objects = (JSON.parse(listed.stdout || "null") as [string, string][] | null) ?? [];
  const newest = objects
    .map(([key, modified]) => ({ uri: `s3://${bucket}/${key}`, time: new Date(modified) }))
    .sort((a, b) => b.time.getTime() - a.time.getTime())[0];
  return newest ?? { problem: `no snapshot under s3://${bucket}/${prefix}` };
}
