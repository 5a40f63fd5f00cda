import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { renderBackupScript } from "../../src/core/member/scripts/backup-script";
import { renderEtcdConfig } from "../../src/core/member/etcd-config";
import { DEFAULT_HOST_PATHS, DEFAULT_VOLUME_MOUNT_POINTS, ETCD_USER } from "../../src/core/member/ports-and-paths";
import { renderRestoreScript } from "../../src/core/member/scripts/restore-script";
import type { MemberEndpoint } from "../../src/core/etcd/types";
import { mapHostPaths, mapScriptHostPaths } from "../../dev/local-cluster/host-paths";
import { LOCAL_ETCD_VERSION } from "../../dev/local-cluster/program-blueprint";

const member: MemberEndpoint = { name: "etcd-dev-0", ip: "127.0.0.11", dnsName: "ip-127-0-0-11.eu-west-1.compute.internal" };
const rendered = renderEtcdConfig({
  member,
  cluster: [member],
  clusterToken: "etcd-dev",
  peerNames: ["etcd-dev-0"],
  version: LOCAL_ETCD_VERSION,
  paths: DEFAULT_HOST_PATHS,
  initialClusterState: "new",
  tuning: {
    heartbeatIntervalMs: 100,
    electionTimeoutMs: 1000,
    snapshotCount: 10000,
    quotaBackendBytes: 8 * 1024 ** 3,
    autoCompactionMode: "periodic",
    autoCompactionRetention: "0",
    maxRequestBytes: 1572864,
  },
});
const root = "/tmp/etcd-e2e-1-m3-x/etcd-dev-0";
type Config = Record<string, unknown> & Record<"client-transport-security" | "peer-transport-security", Record<string, unknown>>;
const before = parse(rendered) as Config;
const after = parse(mapHostPaths(rendered, root)) as Config;

/** Every string in a parsed config, with its key path. */
function strings(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => strings(item, `${path}[${index}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => strings(item, path === "" ? key : `${path}.${key}`));
  }
  return [];
}

describe("mapHostPaths", () => {
  it("puts the data dir, the WAL dir and every TLS file of the rendered config under the member's root", () => {
    assert.equal(after["data-dir"], `${root}${DEFAULT_HOST_PATHS.dataDir}`);
    assert.equal(after["wal-dir"], `${root}${DEFAULT_HOST_PATHS.walDir}`);
    assert.equal(after["peer-transport-security"]["cert-file"], `${root}${DEFAULT_HOST_PATHS.certDir}/peer.crt`);
    assert.equal(after["client-transport-security"]["trusted-ca-file"], `${root}${DEFAULT_HOST_PATHS.certDir}/ca.crt`);
  });

  it("leaves no absolute path of the rendered config outside the root", () => {
    const escaped = strings(after).filter(([, value]) => value.startsWith("/") && !value.startsWith(`${root}/`));
    assert.deepEqual(escaped, []);
  });

  it("changes nothing but prefixing host paths with the root", () => {
    const rootRemoved = JSON.parse(JSON.stringify(after).replaceAll(root, "")) as unknown;
    assert.deepEqual(rootRemoved, before);
    assert.notDeepEqual(after, before);
  });
});

const scripts = {
  backup: renderBackupScript({
    clusterName: "etcd-dev",
    memberName: member.name,
    bucketName: "etcd-dev-backups",
    paths: DEFAULT_HOST_PATHS,
    mounts: DEFAULT_VOLUME_MOUNT_POINTS,
    region: "eu-west-1",
    quotaBackendBytes: 8 * 1024 ** 3,
  }),
  restore: renderRestoreScript({
    snapshotUri: "s3://etcd-dev-backups/etcd-dev/snapshots/restore.db",
    snapshotSha256: "5f2b1c0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b",
    member,
    cluster: [member],
    clusterToken: "etcd-dev",
    paths: DEFAULT_HOST_PATHS,
    mounts: DEFAULT_VOLUME_MOUNT_POINTS,
    owner: ETCD_USER,
  }),
};
/** The host directories the scripts work in: every use of them must end up under the root. */
const hostDirectories = [DEFAULT_HOST_PATHS.certDir, DEFAULT_VOLUME_MOUNT_POINTS.data, DEFAULT_VOLUME_MOUNT_POINTS.wal];

describe("mapScriptHostPaths", () => {
  for (const [name, script] of Object.entries(scripts)) {
    it(`puts every host directory the ${name} script names under the member's root`, () => {
      const mapped = mapScriptHostPaths(script, root);
      for (const directory of hostDirectories) {
        const uses = script.split(`'${directory}`).length - 1;
        const mappedUses = mapped.split(`'${root}${directory}`).length - 1;
        assert.equal(mappedUses, uses, `${directory} in the mapped ${name} script`);
        assert.equal(mapped.split(`'${directory}`).length - 1, 0, `${directory} left outside the root`);
      }
    });

    it(`changes nothing in the ${name} script but prefixing host paths with the root`, () => {
      const mapped = mapScriptHostPaths(script, root);
      assert.notEqual(mapped, script);
      assert.equal(mapped.replaceAll(root, ""), script);
    });
  }
});
