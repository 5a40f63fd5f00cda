import semver from "semver";
import type { CpuArchitecture } from "./types";

/** Where a pinned checksum was read: a file in a public repository, at a commit anyone can open. */
export interface ChecksumSource {
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  /** The key inside the file that holds the values. */
  readonly key: string;
}

/**
 * kubespray's table of etcd's published release checksums (copied from each release's SHA256SUMS
 * by kubespray's update tooling; kubespray's installer verifies downloads against it). Read at
 * this commit of 2026-08-21, the newest stored: 3.6.14 and 3.5.33 are its newest 3.6 and 3.5
 * entries, and it has no 3.7 entry.
 */
const KUBESPRAY_CHECKSUMS: ChecksumSource = {
  repo: "kubernetes-sigs/kubespray",
  path: "roles/kubespray_defaults/vars/main/checksums.yml",
  commit: "46dbdd3994b32640bcd806b0097f50e8fdf1d514",
  key: "etcd_binary_checksums",
};

interface PinnedRelease {
  /** SHA-256 (hex) of `etcd-v<version>-linux-<arch>.tar.gz`. */
  readonly sha256: Readonly<Record<CpuArchitecture, string>>;
  readonly source: ChecksumSource;
}

/**
 * The releases this project installs, each pinned by its published SHA-256. The binaries are not
 * signed, so this pin is what the boot script checks (`sha256sum -c`) before anything from the
 * tarball runs. Only the newest release of each minor line is offered: every older one lacks
 * fixes the newest has, among them the fix for the data corruption that a defragmentation
 * overlapping a snapshot apply could cause (etcd PR 20653, in 3.5.24 and 3.6.5; every member here
 * defragments daily). 3.7 is not offered: no published checksum of it is stored in a reviewable
 * source (kubespray carries none yet), and no 3.7 binary is obtainable here to check its config.
 * Add a release only with checksums read from a published source, and record the source.
 */
const PINNED_RELEASES: Readonly<Record<string, PinnedRelease>> = {
  "3.5.33": {
    sha256: {
      amd64: "5025b5b24d81a9616b6e284ccd439b9a3df055ef8fdcdc142af3ec8f6a3b3c95",
      arm64: "0764c5c0acef155f4bfa0487791cc5776adef66315bf16ec0653883bfd463a90",
    },
    source: KUBESPRAY_CHECKSUMS,
  },
  "3.6.14": {
    sha256: {
      amd64: "ffe840ff9295808e88cce2794a18a5ac87f12a5203c8314d0bf6aa119b41bac5",
      arm64: "fa1b80565ee6fc2df1ae6f57a508b221f3ecc7d591c317c581cd8281b0842b3e",
    },
    source: KUBESPRAY_CHECKSUMS,
  },
};

/** etcd releases this project can install: exactly those with pinned checksums, oldest first. */
export const SUPPORTED_ETCD_VERSIONS: readonly string[] = Object.keys(PINNED_RELEASES).sort(semver.compare);

/** The minor lines whose configuration this project renders (etcd-config.ts). */
export type EtcdMinorLine = "3.5" | "3.6";

/**
 * The first release of each line with the fix for the corruption a defragmentation overlapping a
 * snapshot apply could cause (CHANGELOG-3.5 v3.5.24, CHANGELOG-3.6 v3.6.5).
 */
export const DEFRAG_CORRUPTION_FIXED_IN: Readonly<Record<EtcdMinorLine, string>> = { "3.5": "3.5.24", "3.6": "3.6.5" };

/** The minor line of a release, `3.5.33` → `3.5`; throws for a line this project does not render. */
export function etcdMinorLine(version: string): EtcdMinorLine {
  const line = `${semver.major(version)}.${semver.minor(version)}`;
  if (line === "3.5" || line === "3.6") return line;
  throw new Error(`etcd ${version} is of the ${line} line; this project renders configurations for 3.5 and 3.6 only`);
}

/** The newest pinned release of a minor line, e.g. `3.5` → `3.5.33`. */
export function newestEtcdRelease(line: EtcdMinorLine): string {
  const newest = SUPPORTED_ETCD_VERSIONS.filter((version) => etcdMinorLine(version) === line).at(-1);
  if (newest === undefined) throw new Error(`no etcd ${line} release is pinned`);
  return newest;
}

/** Where each pinned checksum was read. */
export function etcdChecksumSource(version: string): ChecksumSource {
  const pinned = PINNED_RELEASES[version];
  if (pinned === undefined) throw new Error(`etcd ${version} is not pinned; supported versions: ${SUPPORTED_ETCD_VERSIONS.join(", ")}`);
  return pinned.source;
}

/**
 * Where the etcd project publishes its releases. A mirror (air-gapped VPCs, e.g. an S3 bucket behind
 * a VPC endpoint) keeps the same layout below its own base URL: `<base>/v<version>/<tarball>`.
 */
export const OFFICIAL_ETCD_RELEASE_BASE_URL = "https://github.com/etcd-io/etcd/releases/download";

/**
 * Test harness only, never the program: the host drill (dev/member-host/etcd-release-tarball.ts)
 * serves a tarball it builds from the tests' etcd binaries, whose SHA-256 cannot be the official
 * one, and pins it here for its own process. Keyed `<version>/<arch>`; empty in every real run.
 */
const harnessTarballPins = new Map<string, string>();

/** Harness only: pins `sha256` for `version`/`arch` in this process, over the table; returns the unpin. */
export function pinHarnessTarball(version: string, arch: CpuArchitecture, sha256: string): () => void {
  const key = `${version}/${arch}`;
  harnessTarballPins.set(key, sha256);
  return () => harnessTarballPins.delete(key);
}

/** The pinned SHA-256 (hex) of the release tarball; throws for a version or architecture without a pin. */
export function etcdReleaseSha256(version: string, arch: CpuArchitecture): string {
  const sha256 = harnessTarballPins.get(`${version}/${arch}`) ?? PINNED_RELEASES[version]?.sha256[arch];
  if (sha256 === undefined) {
    throw new Error(`etcd ${version} (${arch}) has no pinned checksum; supported versions: ${SUPPORTED_ETCD_VERSIONS.join(", ")}`);
  }
  return sha256;
}

/** File name of the release tarball, e.g. `etcd-v3.6.14-linux-amd64.tar.gz`. */
export function etcdReleaseTarballName(version: string, arch: CpuArchitecture): string {
  return `etcd-v${version}-linux-${arch}.tar.gz`;
}

/**
 * Download URL of the release tarball: the official GitHub release unless a mirror base URL is given,
 * e.g. `https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz`.
 */
export function etcdReleaseUrl(version: string, arch: CpuArchitecture, baseUrl: string = OFFICIAL_ETCD_RELEASE_BASE_URL): string {
  const base = baseUrl.replace(/\/+$/, "");
  return `${base}/v${version}/${etcdReleaseTarballName(version, arch)}`;
}

/** The etcd release a member installs: what to download and the checksum it must match. */
export interface EtcdReleaseArtifact {
  readonly version: string;
  readonly arch: CpuArchitecture;
  /** Tarball URL: https (official or mirror) or `s3://` (a mirror bucket read with the instance role). */
  readonly url: string;
  /** Pinned SHA-256 of the tarball, hex. */
  readonly sha256: string;
}

/** The pinned release artifact for a version and architecture, optionally from a mirror. */
export function etcdReleaseArtifact(version: string, arch: CpuArchitecture, baseUrl?: string): EtcdReleaseArtifact {
  return { version, arch, url: etcdReleaseUrl(version, arch, baseUrl), sha256: etcdReleaseSha256(version, arch) };
}
