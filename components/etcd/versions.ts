import type { CpuArchitecture } from "./types";

/**
 * SHA-256 of each supported official release tarball (`etcd-v<version>-linux-<arch>.tar.gz`).
 * The binaries are not signed, so this pin is what the boot script checks (`sha256sum -c`) before
 * anything from the tarball runs.
 *
 * Sources: kubespray `roles/kubespray_defaults/vars/main/checksums.yml` (`etcd_binary_checksums`,
 * identical at commits 118b2dce and 005bdce7) for 3.5.x; 3.5.16, 3.5.21 and 3.6.5 also match
 * independent public pins (kolla's source list, Nix expressions, installer scripts); 3.6.5 is not in
 * that kubespray file and comes from those pins, which agree with each other for both architectures.
 * Only 3.5 releases from 3.5.14 on are listed: earlier 3.5 releases ignore `allowed-cn` and
 * `allowed-hostname` in a config file. Add a version only with checksums read from a published source.
 */
const RELEASE_SHA256: Readonly<Record<string, Readonly<Record<CpuArchitecture, string>>>> = {
  "3.5.16": {
    amd64: "b414b27a5ad05f7cb01395c447c85d3227e3fb1c176e51757a283b817f645ccc",
    arm64: "8e68c55e6d72b791a9e98591c755af36f6f55aa9eca63767822cd8a3817fdb23",
  },
  "3.5.21": {
    amd64: "adddda4b06718e68671ffabff2f8cee48488ba61ad82900e639d108f2148501c",
    arm64: "95bf6918623a097c0385b96f139d90248614485e781ec9bee4768dbb6c79c53f",
  },
  "3.5.25": {
    amd64: "168af82b59772e1811a9af7b358d42f5c6df44e0d9767afb006ecf12c4bbd607",
    arm64: "419dce0b679df31cc45201ef2449b7a6a48e9d241af01741957c9ac86a35badc",
  },
  "3.6.5": {
    amd64: "66bad39ed920f6fc15fd74adcb8bfd38ba9a6412f8c7852d09eb11670e88cac3",
    arm64: "7010161787077b07de29b15b76825ceacbbcedcb77fe2e6832f509be102cab6b",
  },
};

/** etcd releases this project can install: exactly those with pinned checksums, oldest first. */
export const SUPPORTED_ETCD_VERSIONS: readonly string[] = Object.keys(RELEASE_SHA256);

/**
 * Where the etcd project publishes its releases. A mirror (air-gapped VPCs, e.g. an S3 bucket behind
 * a VPC endpoint) keeps the same layout below its own base URL: `<base>/v<version>/<tarball>`.
 */
export const OFFICIAL_ETCD_RELEASE_BASE_URL = "https://github.com/etcd-io/etcd/releases/download";

/** True for 3.6.x: its config file renames the `experimental-*` keys and drops `enable-v2` (etcd-config.ts). */
export function isEtcd36(version: string): boolean {
  return version.startsWith("3.6.");
}

/** The pinned SHA-256 (hex) of the release tarball; throws for a version or architecture without a pin. */
export function etcdReleaseSha256(version: string, arch: CpuArchitecture): string {
  const sha256 = RELEASE_SHA256[version]?.[arch];
  if (sha256 === undefined) {
    throw new Error(
      `etcd ${version} (${arch}) has no pinned checksum; supported versions: ${SUPPORTED_ETCD_VERSIONS.join(", ")}`,
    );
  }
  return sha256;
}

/** File name of the release tarball, e.g. `etcd-v3.5.16-linux-amd64.tar.gz`. */
export function etcdReleaseTarballName(version: string, arch: CpuArchitecture): string {
  return `etcd-v${version}-linux-${arch}.tar.gz`;
}

/**
 * Download URL of the release tarball: the official GitHub release unless a mirror base URL is given,
 * e.g. `https://github.com/etcd-io/etcd/releases/download/v3.5.16/etcd-v3.5.16-linux-amd64.tar.gz`.
 */
export function etcdReleaseUrl(
  version: string,
  arch: CpuArchitecture,
  baseUrl: string = OFFICIAL_ETCD_RELEASE_BASE_URL,
): string {
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
