/**
 * The etcd release a drill member downloads: a tarball in the official layout
 * (`v<version>/etcd-v<version>-linux-<arch>.tar.gz` holding `etcd-v…/etcd`, `etcdctl`, `etcdutl`)
 * built from the tests' etcd binaries (scripts/fetch-etcd.sh), served by the drill's AWS endpoint
 * (aws-endpoint.ts) from the hub namespace, and pinned for this process with its real SHA-256 (versions.ts pinHarnessTarball), so
 * the rendered boot script checks exactly these bytes. The official tarballs are not reachable here.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CpuArchitecture } from "../../src/core/etcd/types";
import { etcdMinorLine, etcdReleaseTarballName, newestEtcdRelease, pinHarnessTarball } from "../../src/core/etcd/versions";
import { onCleanup } from "../local-cluster/cleanup";
import { etcdBinaries } from "../local-cluster/etcd-binaries";

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

/** Builds the tarball into `dir` (served at `baseUrl`) and pins it for this process until cleanup. */
export function buildRelease(dir: string, baseUrl: string): ServedRelease {
  const version = drillReleaseVersion();
  const arch = hostArchitecture();
  const top = `etcd-v${version}-linux-${arch}`;
  mkdirSync(join(dir, top), { recursive: true });
  for (const tool of ["etcd", "etcdctl", "etcdutl"] as const) copyFileSync(etcdBinaries()[tool], join(dir, top, tool));
  mkdirSync(join(dir, `v${version}`), { recursive: true });
  const tarball = join(dir, `v${version}`, etcdReleaseTarballName(version, arch));
  execFileSync("tar", ["-czf", tarball, "--owner=0", "--group=0", "-C", dir, top]);
  const sha256 = createHash("sha256").update(readFileSync(tarball)).digest("hex");
  onCleanup(pinHarnessTarball(version, arch, sha256));
  return { version, arch, baseUrl, sha256, tamper: () => appendFileSync(tarball, "tampered") };
}
