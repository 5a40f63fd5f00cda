/**
 * `etcd-ops snapshot --out <file> [--member <endpoint>]`: the member's database streamed to a file,
 * only from a healthy member (the leader unless one is named), checked before it gets its name.
 */
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { connect, type ClusterAccess } from "./cluster-access";
import { probeCluster, probeMember, type MemberHealth } from "./member-health";
import { Progress, formatBytes } from "./progress";
import { verifySnapshotFile } from "./snapshot-integrity";

export interface SnapshotOptions {
  /** Where the snapshot goes; written as `<out>.part` and renamed once checked. */
  readonly out: string;
  /** Client URL of the member to snapshot; default: the cluster's leader. */
  readonly member?: string;
}

/** Progress lines at every tenth of the database, and at least every MiB. */
const PROGRESS_PARTS = 10;
const MIN_PROGRESS_STEP_BYTES = 1024 * 1024;

/** The member to snapshot, or an error saying why none qualifies. Only a healthy member qualifies. */
async function chooseMember(access: ClusterAccess, named?: string): Promise<MemberHealth> {
  if (named !== undefined) {
    const member = await probeMember(access, named);
    if (!member.healthy) throw new Error(`refusing to snapshot ${named}: the member is unhealthy (${member.problem})`);
    return member;
  }
  const members = await probeCluster(access);
  const leader = members.find((member) => member.status?.isLeader && member.healthy);
  if (leader === undefined) {
    const problems = members.map((member) => `${member.endpoint}: ${member.problem ?? "healthy, not the leader"}`);
    throw new Error(`refusing to snapshot: no healthy leader (${problems.join("; ")})`);
  }
  return leader;
}

async function streamSnapshot(access: ClusterAccess, member: MemberHealth, path: string): Promise<void> {
  const client = connect(access, [member.endpoint]);
  const file = createWriteStream(path, { mode: 0o600 });
  const expected = member.status?.dbSizeBytes ?? 0;
  const progress = new Progress("snapshot", Math.max(Math.ceil(expected / PROGRESS_PARTS), MIN_PROGRESS_STEP_BYTES));
  let received = 0;
  try {
    const stream = await client.maintenance.snapshot();
    await new Promise<void>((resolve, reject) => {
      file.once("error", reject);
      // No backpressure on the gRPC stream (etcd3 exposes no pause): the file's buffer absorbs a
      // disk slower than the network, which a local disk rarely is.
      stream.on("data", (message) => {
        file.write(message.blob);
        received += message.blob.length;
        progress.update(received, () => `${formatBytes(received)} of about ${formatBytes(expected)}`);
      });
      stream.on("end", resolve);
      stream.on("error", reject);
    });
  } finally {
    file.end();
    await finished(file);
    client.close();
  }
}

/** Takes the snapshot; exit code 0, or throws (refusal, stream or integrity failure) leaving no file behind. */
export async function runSnapshot(access: ClusterAccess, options: SnapshotOptions): Promise<number> {
  const member = await chooseMember(access, options.member);
  const partial = `${options.out}.part`;
  const started = Date.now();
  try {
    await streamSnapshot(access, member, partial);
    const integrity = await verifySnapshotFile(partial);
    await rename(partial, options.out);
    process.stdout.write(
      `snapshot of ${member.endpoint} (member ${member.status?.memberId}, revision ${member.status?.revision} at start) ` +
        `saved to ${options.out}: ${integrity.sizeBytes} bytes (${formatBytes(integrity.sizeBytes)}), ` +
        `sha256 ${integrity.fileSha256}, in ${Date.now() - started} ms\n`,
    );
    return 0;
  } finally {
    await rm(partial, { force: true });
  }
}
