import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { PERF_VARIANTS, TUNED_KEYS } from "../../../bench/cluster/perf-variants";
import { referenceBlueprint } from "../../../bench/cluster/reference-blueprint";

/** The shape of a rendered member config (src/core renders the real one). */
const RENDERED = `name: etcd-dev-0
data-dir: /var/lib/etcd/data/etcd
wal-dir: /var/lib/etcd/wal/etcd
listen-peer-urls: https://127.0.0.11:2380
listen-client-urls: https://127.0.0.11:2379,https://127.0.0.1:2379
advertise-client-urls: https://127.0.0.11:2379
initial-advertise-peer-urls: https://127.0.0.11:2380
initial-cluster: etcd-dev-0=https://127.0.0.11:2380,etcd-dev-1=https://127.0.0.12:2380
client-transport-security:
  cert-file: /etc/etcd/pki/server.crt
peer-transport-security:
  cert-file: /etc/etcd/pki/peer.crt
tls-min-version: TLS1.2
cipher-suites:
  - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
heartbeat-interval: 100
election-timeout: 1000
snapshot-count: 10000
quota-backend-bytes: 8589934592
experimental-initial-corrupt-check: true
experimental-compact-hash-check-enabled: true
`;

function variant(id: string): Record<string, unknown> {
  const found = PERF_VARIANTS.find((candidate) => candidate.id === id);
  assert.ok(found, `no variant ${id}`);
  return parse(found.transform(RENDERED)) as Record<string, unknown>;
}

const rendered = parse(RENDERED) as Record<string, unknown>;

/** The keys whose values differ between the rendered config and a variant (absent counts). */
function changedKeys(config: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(rendered), ...Object.keys(config)]);
  return [...keys].filter((key) => JSON.stringify(rendered[key]) !== JSON.stringify(config[key])).sort();
}

describe("check perf variants: one factor each", () => {
  it("the first variant is the rendered config itself", () => {
    assert.deepEqual(variant("rendered"), rendered);
  });

  it("no-tls turns every URL to http and drops all TLS settings, nothing else", () => {
    const config = variant("no-tls");
    assert.equal(config["listen-client-urls"], "http://127.0.0.11:2379,http://127.0.0.1:2379");
    assert.equal(config["initial-cluster"], "etcd-dev-0=http://127.0.0.11:2380,etcd-dev-1=http://127.0.0.12:2380");
    assert.deepEqual(changedKeys(config), [
      "advertise-client-urls",
      "cipher-suites",
      "client-transport-security",
      "initial-advertise-peer-urls",
      "initial-cluster",
      "listen-client-urls",
      "listen-peer-urls",
      "peer-transport-security",
      "tls-min-version",
    ]);
  });

  it("plain-clients changes only the client side and keeps the TLS settings the peers still use", () => {
    assert.deepEqual(changedKeys(variant("plain-clients")), ["advertise-client-urls", "client-transport-security", "listen-client-urls"]);
  });

  it("plain-peers changes only the peer side", () => {
    assert.deepEqual(changedKeys(variant("plain-peers")), ["initial-advertise-peer-urls", "initial-cluster", "listen-peer-urls", "peer-transport-security"]);
  });

  it("tls-only drops every tuned setting present and keeps TLS and the WAL dir", () => {
    const present = TUNED_KEYS.filter((key) => key in rendered);
    assert.deepEqual(changedKeys(variant("tls-only")), [...present].sort());
  });

  it("the setting variants drop exactly their keys", () => {
    assert.deepEqual(changedKeys(variant("default-snapshot-count")), ["snapshot-count"]);
    assert.deepEqual(changedKeys(variant("no-corruption-checks")), ["experimental-compact-hash-check-enabled", "experimental-initial-corrupt-check"]);
  });

  it("on a 3.6 config the corruption checks go from feature-gates, other gates stay", () => {
    const found = PERF_VARIANTS.find((candidate) => candidate.id === "no-corruption-checks")!;
    const config: unknown = parse(found.transform("feature-gates: InitialCorruptCheck=true,StopGRPCServiceOnDefrag=true,CompactHashCheck=true\n"));
    assert.deepEqual(config, { "feature-gates": "StopGRPCServiceOnDefrag=true" });
    assert.deepEqual(parse(found.transform("feature-gates: InitialCorruptCheck=true,CompactHashCheck=true\n")), {});
  });
});

describe("the reference cluster", () => {
  const admin = { caPem: "ca", certPem: "cert", keyPem: "key" };
  const members = ["11", "12", "13"].map((octet, index) => ({
    name: `etcd-dev-${index}`,
    ip: `127.0.0.${octet}`,
    renderedConfig: RENDERED,
    installedFiles: { "/x": "y" },
    deliveredFiles: { "server.crt": "pem" },
  }));

  it("has the rendered members' names and addresses, plaintext URLs, and only bootstrap keys (etcd defaults for the rest)", () => {
    const reference = referenceBlueprint({ admin, members });
    assert.deepEqual(
      reference.members.map((member) => [member.name, member.ip]),
      members.map((member) => [member.name, member.ip]),
    );
    const config = parse(reference.members[1].renderedConfig) as Record<string, unknown>;
    assert.deepEqual(config, {
      name: "etcd-dev-1",
      "data-dir": "/var/lib/etcd/reference",
      "wal-dir": "/var/lib/etcd/reference/member/wal",
      "listen-peer-urls": "http://127.0.0.12:2380",
      "listen-client-urls": "http://127.0.0.12:2379",
      "advertise-client-urls": "http://127.0.0.12:2379",
      "initial-advertise-peer-urls": "http://127.0.0.12:2380",
      "initial-cluster": "etcd-dev-0=http://127.0.0.11:2380,etcd-dev-1=http://127.0.0.12:2380,etcd-dev-2=http://127.0.0.13:2380",
      "initial-cluster-token": "etcd-reference",
      "initial-cluster-state": "new",
    });
    assert.deepEqual(reference.members[1].deliveredFiles, {});
  });
});
