/**
 * The DLM volume snapshots of a cluster. Data Lifecycle Manager creates them outside Pulumi's state,
 * so `pulumi destroy` deletes the policy but never the snapshots it made, and they bill until
 * deleted. After destroying a test cluster the command deletes them: snapshots tagged
 * `etcd:cluster=<cluster>` (the policy copies the volumes' tags, src/pulumi/volume-snapshots.ts)
 * that DLM made (it tags them `aws:dlm:lifecycle-policy-id`). Snapshots someone took by hand are
 * left alone. Through the AWS CLI, which the deployer already needs for the health gates.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { TAG_KEYS } from "../../src/core/aws/tags";

/** DLM's own tag on every snapshot it creates. */
export const DLM_POLICY_TAG = "aws:dlm:lifecycle-policy-id";

export interface VolumeSnapshot {
  readonly id: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The snapshots to delete for the cluster: its own (`etcd:cluster`), made by DLM. */
export function dlmSnapshotsOfCluster(snapshots: readonly VolumeSnapshot[], cluster: string): VolumeSnapshot[] {
  return snapshots.filter((snapshot) => snapshot.tags[TAG_KEYS.cluster] === cluster && snapshot.tags[DLM_POLICY_TAG] !== undefined);
}

/** Where snapshots are listed and deleted: the AWS account, or a test double. */
export interface SnapshotStore {
  /** Snapshots owned by the account and tagged `etcd:cluster=<cluster>`. */
  list(cluster: string): Promise<VolumeSnapshot[]>;
  delete(snapshotId: string): Promise<void>;
}

const run = promisify(execFile);

interface DescribedSnapshot {
  readonly SnapshotId: string;
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}

/** The AWS CLI (`aws` on PATH, credentials from the environment) in `region`. */
export function awsCliSnapshotStore(region: string): SnapshotStore {
  const aws = async (args: readonly string[]) => (await run("aws", [...args, "--region", region, "--output", "json"])).stdout;
  return {
    async list(cluster) {
      const out = await aws([
        "ec2",
        "describe-snapshots",
        "--owner-ids",
        "self",
        "--filters",
        `Name=tag:${TAG_KEYS.cluster},Values=${cluster}`,
        "--query",
        "Snapshots[].{SnapshotId: SnapshotId, Tags: Tags}",
      ]);
      return (JSON.parse(out) as DescribedSnapshot[]).map((snapshot) => ({
        id: snapshot.SnapshotId,
        tags: Object.fromEntries((snapshot.Tags ?? []).map((tag) => [tag.Key, tag.Value])),
      }));
    },
    async delete(snapshotId) {
      await aws(["ec2", "delete-snapshot", "--snapshot-id", snapshotId]);
    },
  };
}

/** Deletes the cluster's DLM snapshots; returns their IDs. */
export async function deleteClusterSnapshots(store: SnapshotStore, cluster: string): Promise<string[]> {
  const doomed = dlmSnapshotsOfCluster(await store.list(cluster), cluster);
  for (const snapshot of doomed) await store.delete(snapshot.id);
  return doomed.map((snapshot) => snapshot.id);
}
