/**
 * etcd judges the rendered config file. etcd's YAML parser ignores unknown keys, so a misspelt key
 * would silently keep etcd's default: every key of each supported release's config is compared with
 * that release's flag list, and a real etcd then parses and validates a whole 3.5 file.
 *
 * The flag lists are committed copies read from etcd's server/etcdmain/help.go at each pinned tag
 * (etcd-flags/<version>.txt names its source): no 3.6 binary is obtainable here. That a list read
 * from help.go is what a binary accepts is checked where a binary exists: Debian's etcd 3.5.30
 * lists exactly the flags of the committed 3.5.33 list (help.go did not change its flags from
 * 3.5.16 to 3.5.33).
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { etcdConfigModel, renderEtcdConfig, type EtcdConfigFile } from "../../../src/core/member/etcd-config";
import type { MemberEndpoint } from "../../../src/core/etcd/types";
import { SUPPORTED_ETCD_VERSIONS, newestEtcdRelease } from "../../../src/core/etcd/versions";
import { configInput } from "./fixtures";

const repoRoot = resolve(__dirname, "../../..");

/** The real etcd the 3.5 checks run (scripts/fetch-etcd.sh: Debian's newest 3.5). */
const REAL_ETCD_VERSION = "3.5.30";
const NEWEST_35 = newestEtcdRelease("3.5");
const NEWEST_36 = newestEtcdRelease("3.6");

let etcdBinDir: string | undefined;

/** The directory of the real etcd binaries; skips outside CI when unobtainable. */
function realEtcd(t: TestContext): string | undefined {
  if (etcdBinDir !== undefined) return etcdBinDir;
  try {
    const fetch = join(repoRoot, "scripts/fetch-etcd.sh");
    etcdBinDir = execFileSync(fetch, [REAL_ETCD_VERSION], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    return etcdBinDir;
  } catch (error) {
    if (process.env.CI) throw error;
    t.skip(`real etcd is not available (scripts/fetch-etcd.sh failed): ${String(error)}`);
    return undefined;
  }
}

/** Flag names printed by `etcd --help`, without the leading dashes. */
function helpFlags(binDir: string): Set<string> {
  const help = spawnSync(join(binDir, "etcd"), ["--help"], { encoding: "utf8" });
  return new Set([...`${help.stdout}${help.stderr}`.matchAll(/^\s+--([a-z0-9-]+)/gm)].map((match) => match[1]));
}

/** A release's committed flag list (etcd-flags/<version>.txt). */
interface FlagList {
  readonly flags: ReadonlySet<string>;
  readonly deprecated: ReadonlySet<string>;
  readonly featureGates: ReadonlySet<string>;
}

function committedFlagList(version: string): FlagList {
  const lines = readFileSync(join(__dirname, "etcd-flags", `${version}.txt`), "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split(" "));
  const named = (kind: string, mark?: string) => new Set(lines.filter(([k, , m]) => k === kind && (mark === undefined || m === mark)).map(([, name]) => name));
  return { flags: named("flag"), deprecated: named("flag", "deprecated"), featureGates: named("feature-gate") };
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
  return Object.keys(config).flatMap((key) => {
    if (key === "client-transport-security") return Object.keys(config[key]).map(transportFlag);
    if (key === "peer-transport-security") return Object.keys(config[key]).map((nested) => `peer-${transportFlag(nested)}`);
    return [key];
  });
}

/** `feature-gates: "A=true,B=true"` → [A, B]. */
function featureGatesOf(config: EtcdConfigFile): string[] {
  return (config["feature-gates"] ?? "")
    .split(",")
    .filter(Boolean)
    .map((gate) => gate.split("=")[0]);
}

/** Members on TEST-NET-1 (RFC 5737): addresses no host has, so etcd stops at binding its listener. */
const unroutableCluster: MemberEndpoint[] = [0, 1, 2].map((index) => ({
  name: `etcd-test-${index}`,
  ip: `192.0.2.${10 + index}`,
  dnsName: `etcd-test-${index}.example.internal`,
}));

const configOf = (version: string) => etcdConfigModel(configInput(unroutableCluster, 0, version));

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

function inputIn(dir: string) {
  const input = configInput(unroutableCluster, 1, NEWEST_35);
  return { ...input, paths: { dataDir: `${dir}/data/etcd`, walDir: `${dir}/wal/etcd`, certDir: `${dir}/pki` } };
}

describe("rendered etcd config against each release's flag list", () => {
  for (const version of SUPPORTED_ETCD_VERSIONS) {
    test(`every key of the ${version} config is a flag of etcd ${version}, none of them deprecated`, () => {
      const list = committedFlagList(version);
      const flags = flagsOf(configOf(version));
      assert.deepEqual(
        flags.filter((flag) => !list.flags.has(flag)),
        [],
      );
      assert.deepEqual(
        flags.filter((flag) => list.deprecated.has(flag)),
        [],
      );
    });

    test(`every feature gate the ${version} config sets is one etcd ${version} knows`, () => {
      const list = committedFlagList(version);
      assert.deepEqual(
        featureGatesOf(configOf(version)).filter((gate) => !list.featureGates.has(gate)),
        [],
      );
    });
  }

  test("the check tells the lines apart: 3.5 lacks 3.6's feature-gates, and 3.6 deprecates 3.5's experimental- keys", () => {
    assert.deepEqual(
      flagsOf(configOf(NEWEST_36)).filter((flag) => !committedFlagList(NEWEST_35).flags.has(flag)),
      ["feature-gates"],
    );
    assert.deepEqual(
      flagsOf(configOf(NEWEST_35)).filter((flag) => committedFlagList(NEWEST_36).deprecated.has(flag)),
      ["max-snapshots", "experimental-initial-corrupt-check", "experimental-compact-hash-check-enabled"],
    );
  });
});

describe(`rendered etcd ${NEWEST_35} config against the real etcd ${REAL_ETCD_VERSION}`, () => {
  test(`etcd ${REAL_ETCD_VERSION}'s --help lists exactly the flags of the committed ${NEWEST_35} list`, (t) => {
    const binDir = realEtcd(t);
    if (binDir === undefined) return;
    const flags = helpFlags(binDir);
    assert.ok(flags.has("initial-cluster") && flags.has("peer-client-cert-auth"), "etcd --help lists its flags");
    assert.deepEqual([...flags].sort(), [...committedFlagList(NEWEST_35).flags].sort());
  });

  test(`every key of the ${NEWEST_35} config is a flag of the real etcd ${REAL_ETCD_VERSION}`, (t) => {
    const binDir = realEtcd(t);
    if (binDir === undefined) return;
    const flags = helpFlags(binDir);
    assert.deepEqual(
      flagsOf(configOf(NEWEST_35)).filter((flag) => !flags.has(flag)),
      [],
    );
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
