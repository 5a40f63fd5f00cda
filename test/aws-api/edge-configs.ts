/**
 * Configs at the edges of what the config check accepts, each run offline on top of a stack file:
 * the largest cluster with KMS (prod's key) and a restore, the longest cluster name without KMS,
 * the largest keys during a CA rotation, and tags using every character class AWS's tagging
 * services all accept.
 */
import { MAX_CLUSTER_NAME_LENGTH } from "../../src/core/config/formats";
import { MAX_STACK_TAGS } from "../../src/core/config/tag-schema";

export interface EdgeConfig {
  readonly title: string;
  /** The stack file the overrides apply to. */
  readonly stack: string;
  readonly overrides: Readonly<Record<string, unknown>>;
}

/** `etcd-` and `x`s up to the longest name the config accepts. */
export const LONGEST_CLUSTER_NAME = `etcd-${"x".repeat(MAX_CLUSTER_NAME_LENGTH - 5)}`;

/**
 * As many tags as the config allows, using every character class a tag may hold: ASCII and
 * non-ASCII letters, digits, spaces, _ . : / = + - @ (keys: ASCII letters, digits, _ . : / = + -).
 */
export const MOST_TAGS_EVERY_CHARACTER_CLASS: Readonly<Record<string, string>> = Object.fromEntries<string>([
  ["team_name.v2:owner/unit=a+b-c", "Équipe Plateforme 42 _.:/=+-@"],
  ["cost-center", "日本語 チーム"],
  ["k".repeat(128), "v".repeat(256)],
  ...Array.from({ length: MAX_STACK_TAGS - 3 }, (_, index): [string, string] => [`tag-${index}`, `${index}`]),
]);

export const EDGE_CONFIGS: readonly EdgeConfig[] = [
  {
    title: "7 members, KMS on, a restore set",
    stack: "prod",
    overrides: {
      members: 7,
      restore: {
        snapshotUri: "s3://etcd-prod-backups-0123abc/etcd-prod/snapshots/2026-07-01T00-00Z-rev42-etcd-prod-0.db",
        snapshotSha256: "5f2b1c0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b",
      },
    },
  },
  {
    title: "the longest allowed cluster name, 7 members",
    stack: "staging",
    overrides: { clusterName: LONGEST_CLUSTER_NAME, members: 7 },
  },
  {
    // The largest value written to SSM: the CA parameter holding the old and the new CA certificate
    // while a rotation trusts both, with RSA-4096 keys and the longest cluster name in each CA's
    // subject. With real certificates it is 4038 of the standard tier's 4096 bytes.
    title: "RSA-4096 keys, the longest cluster name, a CA rotation trusting both CAs",
    stack: "staging",
    overrides: { clusterName: LONGEST_CLUSTER_NAME, pki: { keyAlgorithm: "RSA", rsaBits: 4096, caRotation: { generation: 1, stage: "trust-both" } } },
  },
  {
    title: "the most tags allowed, with every character class",
    stack: "dev",
    overrides: { tags: MOST_TAGS_EVERY_CHARACTER_CLASS },
  },
];
