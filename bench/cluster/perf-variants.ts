/**
 * Variants of the rendered member config, each changing one factor, to find what separates the
 * rendered cluster from the reference in `etcdctl check perf`. Pure: YAML in, YAML out. A variant
 * is a measurement device only; none of them is a proposal for the product.
 */
import { parseDocument, type Document } from "yaml";
import type { ClusterBlueprint } from "../../dev/local-cluster/blueprint";

export interface PerfVariant {
  readonly id: string;
  /** What differs from the rendered config. */
  readonly description: string;
  readonly transform: (config: string) => string;
}

const URL_KEYS = {
  client: ["listen-client-urls", "advertise-client-urls"],
  peer: ["listen-peer-urls", "initial-advertise-peer-urls", "initial-cluster"],
} as const;

/** Settings the rendered config sets beyond a bootstrap; dropping them gives etcd's defaults. */
export const TUNED_KEYS = [
  "heartbeat-interval",
  "election-timeout",
  "snapshot-count",
  "quota-backend-bytes",
  "auto-compaction-mode",
  "auto-compaction-retention",
  "max-request-bytes",
  "max-wals",
  "max-snapshots",
  "strict-reconfig-check",
  "experimental-initial-corrupt-check",
  "experimental-compact-hash-check-enabled",
  "feature-gates",
] as const;
/** The corruption checks: 3.5's experimental keys, 3.6's feature gates of the same names. */
const CORRUPTION_CHECK_KEYS = ["experimental-initial-corrupt-check", "experimental-compact-hash-check-enabled"] as const;
const CORRUPTION_CHECK_GATES = ["InitialCorruptCheck", "CompactHashCheck"] as const;

function edit(config: string, change: (document: Document) => void): string {
  const document = parseDocument(config);
  change(document);
  return document.toString();
}

/** `https://` → `http://` in the side's URLs, and that side's TLS section gone; the global TLS settings go with the last TLS side. */
function plaintext(side: "client" | "peer") {
  return (document: Document): void => {
    for (const key of URL_KEYS[side]) {
      const value = document.get(key);
      if (typeof value === "string") document.set(key, value.replaceAll("https://", "http://"));
    }
    document.delete(`${side}-transport-security`);
    if (!document.has("client-transport-security") && !document.has("peer-transport-security")) {
      document.delete("tls-min-version");
      document.delete("cipher-suites");
    }
  };
}

function without(keys: readonly string[]) {
  return (document: Document): void => {
    for (const key of keys) document.delete(key);
  };
}

function withoutCorruptionChecks(document: Document): void {
  without(CORRUPTION_CHECK_KEYS)(document);
  const gates = document.get("feature-gates");
  if (typeof gates !== "string") return;
  const kept = gates.split(",").filter((gate) => !CORRUPTION_CHECK_GATES.some((name) => gate.trim().startsWith(`${name}=`)));
  if (kept.length === 0) document.delete("feature-gates");
  else document.set("feature-gates", kept.join(","));
}

export const PERF_VARIANTS: readonly PerfVariant[] = [
  { id: "rendered", description: "the rendered config as is", transform: (config) => config },
  {
    id: "no-tls",
    description: "plaintext clients and peers, every other setting as rendered",
    transform: (config) =>
      edit(config, (document) => {
        plaintext("client")(document);
        plaintext("peer")(document);
      }),
  },
  { id: "tls-only", description: "TLS as rendered, every tuned setting at etcd's default (WAL dir kept)", transform: (config) => edit(config, without(TUNED_KEYS)) },
  { id: "plain-clients", description: "plaintext client listener only", transform: (config) => edit(config, plaintext("client")) },
  { id: "plain-peers", description: "plaintext peer listener only", transform: (config) => edit(config, plaintext("peer")) },
  { id: "default-snapshot-count", description: "`snapshot-count` at etcd's default (100000)", transform: (config) => edit(config, without(["snapshot-count"])) },
  { id: "no-corruption-checks", description: "initial and compact-hash corruption checks off", transform: (config) => edit(config, withoutCorruptionChecks) },
];

/** The rendered cluster with every member's config passed through `variant`. */
export function variantBlueprint(rendered: ClusterBlueprint, variant: PerfVariant): ClusterBlueprint {
  return {
    ...rendered,
    members: rendered.members.map((member) => ({ ...member, renderedConfig: variant.transform(member.renderedConfig) })),
  };
}
