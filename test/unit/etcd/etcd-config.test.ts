import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { etcdConfigModel, renderEtcdConfig, type EtcdConfigFile } from "../../../src/core/member/etcd-config";
import { clusterOf, configInput } from "./fixtures";

const cluster = clusterOf(3);
const config35 = etcdConfigModel(configInput(cluster, 1, "3.5.33"));
const config36 = etcdConfigModel(configInput(cluster, 1, "3.6.14"));

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

describe("etcd config: listeners and bootstrap", () => {
  test("every client and peer URL is https on the member's own address", () => {
    assert.equal(config35["listen-peer-urls"], "https://10.0.1.10:2380");
    assert.equal(config35["initial-advertise-peer-urls"], "https://10.0.1.10:2380");
    assert.equal(config35["listen-client-urls"], "https://10.0.1.10:2379,https://127.0.0.1:2379");
    assert.equal(config35["advertise-client-urls"], "https://10.0.1.10:2379");
  });

  test("no client or peer URL anywhere is plaintext", () => {
    const urls = [
      config35["listen-peer-urls"],
      config35["initial-advertise-peer-urls"],
      config35["listen-client-urls"],
      config35["advertise-client-urls"],
      ...config35["initial-cluster"].split(",").map((entry) => entry.split("=")[1]),
    ].flatMap((value) => value.split(","));
    assert.ok(urls.length >= 8);
    for (const url of urls) assert.match(url, /^https:\/\//);
  });

  test("metrics are served on their own port, 2381, on the member address and loopback", () => {
    assert.equal(config35["listen-metrics-urls"], "http://10.0.1.10:2381,http://127.0.0.1:2381");
  });

  test("initial-cluster lists every member by name and peer URL, in topology order", () => {
    assert.equal(config35["initial-cluster"], "etcd-test-0=https://10.0.0.10:2380,etcd-test-1=https://10.0.1.10:2380,etcd-test-2=https://10.0.2.10:2380");
  });

  test("initial-cluster and its token are identical on every member", () => {
    const configs = cluster.map((_, index) => etcdConfigModel(configInput(cluster, index)));
    assert.equal(new Set(configs.map((config) => config["initial-cluster"])).size, 1);
    assert.equal(new Set(configs.map((config) => config["initial-cluster-token"])).size, 1);
    assert.deepEqual(
      configs.map((config) => config.name),
      ["etcd-test-0", "etcd-test-1", "etcd-test-2"],
    );
  });

  test("the initial cluster state and token come from the input", () => {
    const existing = etcdConfigModel({ ...configInput(cluster, 2), initialClusterState: "existing" });
    assert.equal(existing["initial-cluster-state"], "existing");
    assert.equal(config35["initial-cluster-token"], "etcd-test-4f3c2a");
  });

  test("refuses to render a member that is not in its cluster", () => {
    const stranger = { name: "etcd-other-0", ip: "10.9.0.10", dnsName: "x" };
    assert.throws(() => etcdConfigModel({ ...configInput(cluster), member: stranger }), /etcd-other-0 \(10\.9\.0\.10\) is not in the cluster/);
  });
});

describe("etcd config: TLS", () => {
  test("clients need a certificate from the cluster CA, served with the server certificate", () => {
    assert.deepEqual(config35["client-transport-security"], {
      "cert-file": "/etc/etcd/pki/server.crt",
      "key-file": "/etc/etcd/pki/server.key",
      "trusted-ca-file": "/etc/etcd/pki/ca.crt",
      "client-cert-auth": true,
      "auto-tls": false,
    });
  });

  test("peers need a certificate from the cluster CA whose common name a member of the cluster can have, at any size", () => {
    assert.deepEqual(config35["peer-transport-security"], {
      "cert-file": "/etc/etcd/pki/peer.crt",
      "key-file": "/etc/etcd/pki/peer.key",
      "trusted-ca-file": "/etc/etcd/pki/ca.crt",
      "client-cert-auth": true,
      "auto-tls": false,
      "allowed-cn": ["etcd-test-0", "etcd-test-1", "etcd-test-2", "etcd-test-3", "etcd-test-4", "etcd-test-5", "etcd-test-6"],
    });
  });

  test("TLS 1.2 is the minimum and only forward-secret AEAD suites are offered", () => {
    assert.equal(config35["tls-min-version"], "TLS1.2");
    for (const suite of config35["cipher-suites"]) assert.match(suite, /^TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_\d+_GCM|CHACHA20_POLY1305)_SHA\d+$/);
  });
});

describe("etcd config: storage, tuning and logging", () => {
  test("the WAL directory is not under the data directory, nor the other way round", () => {
    assert.ok(!isInside(config35["wal-dir"], config35["data-dir"]));
    assert.ok(!isInside(config35["data-dir"], config35["wal-dir"]));
  });

  test("tuning values land on etcd's flag names", () => {
    assert.equal(config35["heartbeat-interval"], 100);
    assert.equal(config35["election-timeout"], 1000);
    assert.equal(config35["snapshot-count"], 10000);
    assert.equal(config35["quota-backend-bytes"], 8 * 1024 ** 3); // 20 GiB data volume: half is above the 8 GiB cap
    assert.equal(config35["auto-compaction-mode"], "periodic");
    assert.equal(config35["auto-compaction-retention"], "0");
    assert.equal(config35["max-request-bytes"], 1572864);
    assert.equal(config35["max-wals"], 5);
    assert.equal(config35["max-snapshots"], 5);
  });

  test("logs go to stderr (the journal) as zap at info level, and membership changes are checked", () => {
    assert.equal(config35.logger, "zap");
    assert.equal(config35["log-level"], "info");
    assert.deepEqual(config35["log-outputs"], ["stderr"]);
    assert.equal(config35["strict-reconfig-check"], true);
  });
});

describe("etcd config: 3.5 and 3.6 key names", () => {
  test("3.5 turns on the corruption checks with their experimental- keys", () => {
    assert.equal(config35["experimental-initial-corrupt-check"], true);
    assert.equal(config35["experimental-compact-hash-check-enabled"], true);
    assert.equal(config35["feature-gates"], undefined);
  });

  test("3.6 turns on the same checks as feature gates", () => {
    assert.equal(config36["feature-gates"], "InitialCorruptCheck=true,CompactHashCheck=true");
  });

  test("3.6 has no experimental- key, which it deprecates", () => {
    const keys = Object.keys(config36);
    assert.deepEqual(
      keys.filter((key) => key.startsWith("experimental-")),
      [],
    );
  });

  test("3.6 leaves out max-snapshots, which it deprecates, and has etcd's default of 5 anyway", () => {
    assert.equal(config36["max-snapshots"], undefined);
  });

  test("3.6 keeps every other key of 3.5", () => {
    const versionSpecific = new Set(["experimental-initial-corrupt-check", "experimental-compact-hash-check-enabled", "feature-gates", "max-snapshots"]);
    const common = (config: EtcdConfigFile) => Object.keys(config).filter((key) => !versionSpecific.has(key));
    assert.deepEqual(common(config36), common(config35));
  });
});

describe("renderEtcdConfig", () => {
  test("is the YAML of the model, so the file and the model never disagree", () => {
    const input = configInput(cluster, 0, "3.6.14");
    assert.deepEqual(parse(renderEtcdConfig(input)), etcdConfigModel(input));
  });

  test("keeps auto-compaction-retention a string, as etcd's config parser expects", () => {
    assert.match(renderEtcdConfig(configInput(cluster)), /^auto-compaction-retention: "0"$/m);
  });

  test("starts with a comment naming the member and the etcd version", () => {
    assert.match(renderEtcdConfig(configInput(cluster, 2)), /^# etcd 3\.6\.14 configuration of member etcd-test-2;/);
  });
});
