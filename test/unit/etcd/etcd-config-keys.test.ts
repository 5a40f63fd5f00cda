/**
 * Real etcd judges the rendered config file. etcd's YAML parser ignores unknown keys, so a misspelt
 * key would silently keep etcd's default: every key is compared with the flags of the real etcd
 * 3.5.16 binary (`etcd --help`), and the real etcd then parses and validates the whole file.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { etcdConfigModel, renderEtcdConfig, type EtcdConfigFile } from "../../../components/etcd/etcd-config";
import type { MemberEndpoint } from "../../../components/etcd/types";
import { configInput } from "./fixtures";

const repoRoot = resolve(__dirname, "../../..");

let etcdBinDir: string | undefined;

/** The directory of the real etcd binaries (scripts/fetch-etcd.sh); skips outside CI when unobtainable. */
function realEtcd(t: TestContext): string | undefined {
  if (etcdBinDir !== undefined) return etcdBinDir;
  try {
    etcdBinDir = execFileSync(join(repoRoot, "scripts/fetch-etcd.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    return etcdBinDir;
  } catch (error) {
    if (process.env.CI) throw error;
    t.skip(`real etcd is not available (scripts/fetch-etcd.sh failed): ${String(error)}`);
    return undefined;
  }
}

/** Flag names printed by `etcd --help`, without the leading dashes. */
function etcdFlags(binDir: string): Set<string> {
  const help = spawnSync(join(binDir, "etcd"), ["--help"], { encoding: "utf8" });
  return new Set([...`${help.stdout}${help.stderr}`.matchAll(/^\s+--([a-z0-9-]+)/gm)].map((match) => match[1]));
}

/**
 * The flag behind each config key. The transport sections nest TLS keys: client-transport-security's
 * keys are the client flags as they are (`cert-file` → `--cert-file`), peer-transport-security's get
 * the `peer-` prefix (`client-cert-auth` → `--peer-client-cert-auth`), as in server/embed/config.go;
 * `allowed-cn` is the one key whose flag has another stem (`--peer-cert-allowed-cn`).
 */
function transportFlag(nested: string): string {
  return nested === "allowed-cn" ? "cert-allowed-cn" : nested;
}

function flagsOf(config: EtcdConfigFile): string[] {
  return Object.entries(config).flatMap(([key, value]) => {
    if (key === "client-transport-security") return Object.keys(value).map(transportFlag);
    if (key === "peer-transport-security") return Object.keys(value).map((nested) => `peer-${transportFlag(nested)}`);
    return [key];
  });
}

/** Members on TEST-NET-1 (RFC 5737): addresses no host has, so etcd stops at binding its listener. */
const unroutableCluster: MemberEndpoint[] = [0, 1, 2].map((index) => ({
  name: `etcd-test-${index}`,
  ip: `192.0.2.${10 + index}`,
  dnsName: `etcd-test-${index}.example.internal`,
}));

/** Runs the real etcd on a config file whose host paths point into a temp dir; returns its log. */
function startEtcdOnce(binDir: string, render: (dir: string) => string): { status: number | null; log: string } {
  const dir = mkdtempSync(join(tmpdir(), "etcd-config-"));
  try {
    const file = join(dir, "etcd.conf.yml");
    writeFileSync(file, render(dir));
    const result = spawnSync(join(binDir, "etcd"), ["--config-file", file], { encoding: "utf8", timeout: 60_000 });
    return { status: result.status, log: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function inputIn(dir: string, version = "3.5.16") {
  const input = configInput(unroutableCluster, 1, version);
  return { ...input, paths: { dataDir: `${dir}/data/etcd`, walDir: `${dir}/wal/etcd`, certDir: `${dir}/pki` } };
}

describe("rendered etcd config against the real etcd 3.5.16", () => {
  test("every key of the 3.5 config is a flag of etcd 3.5.16", (t) => {
    const binDir = realEtcd(t);
    if (binDir === undefined) return;
    const flags = etcdFlags(binDir);
    assert.ok(flags.has("initial-cluster") && flags.has("peer-client-cert-auth"), "etcd --help lists its flags");
    const unknown = flagsOf(etcdConfigModel(configInput(unroutableCluster, 0, "3.5.16"))).filter((flag) => !flags.has(flag));
    assert.deepEqual(unknown, []);
  });

  test("the 3.6 config uses 3.5's flags except its feature-gates", (t) => {
    const binDir = realEtcd(t);
    if (binDir === undefined) return;
    const flags = etcdFlags(binDir);
    const unknown = flagsOf(etcdConfigModel(configInput(unroutableCluster, 0, "3.6.5"))).filter((flag) => !flags.has(flag));
    assert.deepEqual(unknown, ["feature-gates"]);
  });

  test("etcd accepts every value of the file and gets as far as binding its peer listener", (t) => {
    const binDir = realEtcd(t);
    if (binDir === undefined) return;
    const { status, log } = startEtcdOnce(binDir, (dir) => renderEtcdConfig(inputIn(dir)));
    assert.notEqual(status, 0);
    assert.match(log, /"failed to start etcd","error":"listen tcp 192\.0\.2\.11:2380: bind: cannot assign requested address"/);
  });

  test("a value etcd refuses is reported before any listener, so the check above can fail", (t) => {
    const binDir = realEtcd(t);
    if (binDir === undefined) return;
    const { status, log } = startEtcdOnce(binDir, (dir) => {
      const input = inputIn(dir);
      return renderEtcdConfig({ ...input, tuning: { ...input.tuning, heartbeatIntervalMs: 100, electionTimeoutMs: 400 } });
    });
    assert.notEqual(status, 0);
    assert.match(log, /"failed to verify flags","error":"--election-timeout\[400ms\] should be at least as 5 times as --heartbeat-interval\[100ms\]"/);
    assert.doesNotMatch(log, /bind: cannot assign requested address/);
  });
});
