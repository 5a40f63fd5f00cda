/**
 * The etcd release a drill member downloads: a tarball in the official layout
 * (`v<version>/etcd-v<version>-linux-<arch>.tar.gz` holding `etcd-v…/etcd`, `etcdctl`, `etcdutl`)
 * built from the tests' etcd binaries (scripts/fetch-etcd.sh), served over HTTP from the hub
 * namespace, and pinned for this process with its real SHA-256 (versions.ts pinHarnessTarball), so
 * the rendered boot script checks exactly these bytes. The official tarballs are not reachable here.
 */
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CpuArchitecture } from "../../components/etcd/types";
import { etcdMinorLine, etcdReleaseTarballName, newestEtcdRelease, pinHarnessTarball } from "../../components/etcd/versions";
import { onCleanup } from "../local-cluster/cleanup";
import { etcdBinaries } from "../local-cluster/etcd-binaries";
import { HUB_CLIENT_IP } from "../local-cluster/loopback-network";
import { execInNamespace } from "../local-cluster/namespace-exec";

/** Port of the release server on the hub's address. */
const RELEASE_SERVER_PORT = 8080;

/** This machine's architecture in etcd's release naming. */
export function hostArchitecture(): CpuArchitecture {
  if (process.arch === "x64") return "amd64";
  if (process.arch === "arm64") return "arm64";
  throw new Error(`no etcd release for ${process.arch}`);
}

/** The version the test binaries report (`etcd --version`: "etcd Version: 3.5.16"). */
export function testBinariesVersion(): string {
  const output = execFileSync(etcdBinaries().etcd, ["--version"], { encoding: "utf8" });
  const match = /etcd Version: (\S+)/.exec(output);
  if (match?.[1] === undefined) throw new Error(`cannot read the etcd version from: ${output}`);
  return match[1];
}

/**
 * The release the drill renders: the newest pinned release of the test binaries' minor line (the
 * program accepts only pinned releases; the binaries are Debian's, e.g. 3.5.30 for 3.5.33). The
 * tarball named after it holds the test binaries.
 */
export function drillReleaseVersion(): string {
  return newestEtcdRelease(etcdMinorLine(testBinariesVersion()));
}

/** A release served to the members. */
export interface ServedRelease {
  readonly version: string;
  readonly arch: CpuArchitecture;
  /** `etcdDownloadBaseUrl` for the program: `http://<hub>:<port>`. */
  readonly baseUrl: string;
  /** SHA-256 of the genuine tarball, pinned for this process. */
  readonly sha256: string;
  /** Replaces the served tarball's bytes with others (the pin stays): the tampered-tarball drill. */
  tamper(): void;
}

const sha256Of = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** Builds the tarball into `dir`, pins it, and serves `dir` from the hub namespace until cleanup. */
export async function serveRelease(dir: string, hubNamespace: string): Promise<ServedRelease> {
  const version = drillReleaseVersion();
  const arch = hostArchitecture();
  const top = `etcd-v${version}-linux-${arch}`;
  mkdirSync(join(dir, top), { recursive: true });
  for (const tool of ["etcd", "etcdctl", "etcdutl"] as const) copyFileSync(etcdBinaries()[tool], join(dir, top, tool));
  mkdirSync(join(dir, `v${version}`), { recursive: true });
  const tarball = join(dir, `v${version}`, etcdReleaseTarballName(version, arch));
  execFileSync("tar", ["-czf", tarball, "--owner=0", "--group=0", "-C", dir, top]);
  const sha256 = sha256Of(tarball);
  onCleanup(pinHarnessTarball(version, arch, sha256));

  const server = spawn("ip", ["netns", "exec", hubNamespace, "python3", "-m", "http.server", String(RELEASE_SERVER_PORT),
    "--bind", HUB_CLIENT_IP, "--directory", dir], { stdio: "ignore" });
  onCleanup(() => server.kill("SIGKILL"));
  const baseUrl = `http://${HUB_CLIENT_IP}:${RELEASE_SERVER_PORT}`;
  for (let attempt = 0; ; attempt++) {
    const probe = await execInNamespace(hubNamespace, ["curl", "--silent", "--fail", "--output", "/dev/null", `${baseUrl}/v${version}/`]);
    if (probe.ok) break;
    if (attempt > 50) throw new Error(`the release server on ${baseUrl} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { version, arch, baseUrl, sha256, tamper: () => appendFileSync(tarball, "tampered") };
}
