import { initialCluster, peerUrl } from "../endpoints";
import type { VolumeMountPoints, EtcdHostPaths } from "../ports-and-paths";
import { parseS3Uri } from "../../formats/s3-uri";
import { shellQuote } from "../../formats/shell-quote";
import { scriptWithSettings } from "./member-script-source";
import type { MemberEndpoint } from "../../etcd/types";

/**
 * Revisions added on restore (`etcdutl snapshot restore --bump-revision`, with `--mark-compacted`),
 * so a client never sees revisions go backwards and every watch from before the restore ends with
 * "compacted" instead of silently missing events: etcd's recovery guide asks for this wherever
 * watchers or caches exist (Kubernetes informers). 10^9 covers a week-old snapshot below ~1500
 * writes per second (the guide's figure).
 */
export const RESTORE_REVISION_BUMP = 1_000_000_000;

/** Everything the restore script of one member depends on; the same values as its etcd config file. */
export interface RestoreScriptInput {
  /** `s3://bucket/key` of an `etcdctl snapshot save` file (RestoreSettings.snapshotUri). */
  readonly snapshotUri: string;
  /** Hex SHA-256 the downloaded object must have (RestoreSettings.snapshotSha256): the pin. */
  readonly snapshotSha256: string;
  /** The member this script restores: `--name` and `--initial-advertise-peer-urls`. */
  readonly member: MemberEndpoint;
  /** All members in etcd-config's order: `--initial-cluster`. */
  readonly cluster: readonly MemberEndpoint[];
  /** `--initial-cluster-token`: the token of the new cluster's etcd config. */
  readonly clusterToken: string;
  /** `data-dir` and `wal-dir` to restore into. */
  readonly paths: EtcdHostPaths;
  /** The volumes' mount points: staging directories and the marker live there, on the right volume. */
  readonly mounts: VolumeMountPoints;
  /** Owner (`user` or `user:group`, names or IDs) given the restored directories: ports-and-paths.ts ETCD_USER on a member. */
  readonly owner: string;
}

/**
 * The marker a restore leaves on the data volume, holding the snapshot URI. It survives an instance
 * replacement with the volume, so a replaced member never restores again.
 */
export function restoreMarkerPath(mounts: VolumeMountPoints): string {
  return `${mounts.data}/etcd-restored-from`;
}

/**
 * The restore script: restore.sh beside this file (it documents what it does and refuses) with this
 * member's settings rendered as readonly lines after its shebang.
 */
export function renderRestoreScript(input: RestoreScriptInput): string {
  parseS3Uri(input.snapshotUri); // the member downloads it with `aws s3 cp`: an S3 object URI or nothing
  const { paths, mounts } = input;
  return scriptWithSettings("restore.sh", "restore-script.ts", [
    `readonly SNAPSHOT_URI=${shellQuote(input.snapshotUri)}`,
    `readonly SNAPSHOT_SHA256=${shellQuote(input.snapshotSha256)}`,
    `readonly MEMBER=${shellQuote(input.member.name)}`,
    `readonly PEER_URL=${shellQuote(peerUrl(input.member.ip))}`,
    `readonly INITIAL_CLUSTER=${shellQuote(initialCluster(input.cluster))}`,
    `readonly CLUSTER_TOKEN=${shellQuote(input.clusterToken)}`,
    `readonly DATA_DIR=${shellQuote(paths.dataDir)}`,
    `readonly WAL_DIR=${shellQuote(paths.walDir)}`,
    `readonly DATA_VOLUME=${shellQuote(mounts.data)}`,
    `readonly MARKER=${shellQuote(restoreMarkerPath(mounts))}`,
    `readonly OWNER=${shellQuote(input.owner)}`,
    `readonly REVISION_BUMP=${RESTORE_REVISION_BUMP}`,
  ]);
}
