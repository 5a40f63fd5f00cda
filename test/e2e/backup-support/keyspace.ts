/**
 * Filling a key prefix and fingerprinting it: the number of keys and a SHA-256 over every key and
 * value (in key order), read through etcdctl, so two clusters can be compared byte for byte.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { execInNamespace, expectOk } from "../../../dev/local-cluster/namespace-exec";
import type { LocalCluster } from "../../../dev/local-cluster/local-cluster";
import type { SeedOptions } from "./seed-keys";

/** What a prefix holds, reduced to a count and a checksum. */
export interface KeyspaceFingerprint {
  readonly count: number;
  /** SHA-256 over `<key base64> <value base64>\n` for every key in key order. */
  readonly sha256: string;
}

/** Writes `count` keys under `prefix` (seed-keys.ts), from the hub. */
export async function seedKeys(cluster: LocalCluster, prefix: string, count: number): Promise<void> {
  const options: SeedOptions = { endpoints: cluster.endpoints(), ...cluster.adminFiles, prefix, count };
  const result = await execInNamespace(cluster.network.hubNamespace, [
    process.execPath,
    "--import",
    "tsx",
    join(__dirname, "seed-keys.ts"),
    JSON.stringify(options),
  ]);
  expectOk(result, `seeding ${count} keys under ${prefix}`);
}

interface RangeJson {
  readonly header: { readonly revision: number };
  readonly kvs?: readonly { readonly key: string; readonly value?: string }[];
}

/** The prefix's fingerprint, read linearizably through the running members. */
export async function fingerprint(cluster: LocalCluster, prefix: string): Promise<KeyspaceFingerprint> {
  const running = cluster.members.filter((member) => member.isRunning);
  const out = expectOk(await cluster.etcdctl(["get", prefix, "--prefix", "-w", "json"], running), `read ${prefix}`);
  const kvs = (JSON.parse(out) as RangeJson).kvs ?? [];
  const hash = createHash("sha256");
  for (const kv of kvs) hash.update(`${kv.key} ${kv.value ?? ""}\n`);
  return { count: kvs.length, sha256: hash.digest("hex") };
}

/** The store's current revision, as a member reports it. */
export async function currentRevision(cluster: LocalCluster): Promise<number> {
  const running = cluster.members.filter((member) => member.isRunning);
  const out = expectOk(await cluster.etcdctl(["get", "revision-probe", "-w", "json"], running.slice(0, 1)), "read revision");
  return (JSON.parse(out) as RangeJson).header.revision;
}
