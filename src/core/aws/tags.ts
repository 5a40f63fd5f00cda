import type { CaRotation } from "../config/types";
import { caRotationTagValue } from "../pki/ca-rotation";

/** Tag keys this project sets; backup policies (DLM) and operators select resources by them. */
export const TAG_KEYS = {
  /** The cluster's name (ClusterConfig.clusterName), on every taggable resource. */
  cluster: "etcd:cluster",
  /** The etcd member name, on a member's ENI, volumes, instance and secrets. */
  member: "etcd:member",
  /** `data` or `wal` on a member's EBS volumes. */
  volumeRole: "etcd:volume",
  /** The etcd release a member instance installs (its user data's); the upgrade rules read it back. */
  etcdVersion: "etcd:version",
  /** The CA rotation state a member instance booted with (pki/ca-rotation.ts); the rotation rules read it back. */
  caRotation: "etcd:ca-rotation",
} as const;

/** A member instance's TAG_KEYS.caRotation tag; none before the first rotation, so such a stack's instances keep their tags. */
export function caRotationTag(rotation: CaRotation | undefined): Record<string, string> {
  return rotation === undefined ? {} : { [TAG_KEYS.caRotation]: caRotationTagValue(rotation) };
}

/** The role of a member's EBS volume: etcd's `data-dir` or `wal-dir`. */
export type VolumeRole = "data" | "wal";

/** Tags of a cluster-wide resource: the stack's extra tags, the cluster tag and a Name. */
export function clusterTags(extraTags: Readonly<Record<string, string>>, clusterName: string, name: string): Record<string, string> {
  return { ...extraTags, [TAG_KEYS.cluster]: clusterName, Name: name };
}

/** Tags of one member's resource: the cluster tags plus the member name. */
export function memberTags(extraTags: Readonly<Record<string, string>>, clusterName: string, memberName: string, name: string): Record<string, string> {
  return { ...clusterTags(extraTags, clusterName, name), [TAG_KEYS.member]: memberName };
}
