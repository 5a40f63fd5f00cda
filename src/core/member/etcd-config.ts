import { stringify } from "yaml";
import { LOOPBACK_IP, CERT_FILES, type EtcdHostPaths } from "./ports-and-paths";
import { clientUrl, initialCluster, metricsUrl, peerUrl } from "./endpoints";
import type { EtcdTuning, MemberEndpoint } from "../etcd/types";
import { etcdMinorLine } from "../etcd/versions";

/** Everything one member's etcd configuration file depends on. */
export interface EtcdConfigInput {
  /** The member this file is for; must be one of `cluster`. */
  readonly member: MemberEndpoint;
  /** All members, this one included, in the same order for every member (it becomes `initial-cluster`). */
  readonly cluster: readonly MemberEndpoint[];
  /** `initial-cluster-token`: unique per cluster, so members of two clusters never join each other. */
  readonly clusterToken: string;
  /**
   * Certificate common names the peer listener admits (`allowed-cn`): every name a member of this
   * cluster can have (topology.ts `possibleMemberNames`), not only the current members', so a
   * resize never narrows or widens it: members that join or leave stay connected to the others
   * while the rest restart with the new size.
   */
  readonly peerNames: readonly string[];
  /** The etcd release the member runs (versions.ts); its minor line decides the key names. */
  readonly version: string;
  readonly paths: EtcdHostPaths;
  readonly tuning: EtcdTuning;
  /**
   * `initial-cluster-state`: "new" for a statically bootstrapped member, "existing" for a member added
   * to a running cluster. Ignored, like every `initial-*` key, once the member's WAL exists: a
   * restarted member reads the same file and rejoins as itself.
   */
  readonly initialClusterState: "new" | "existing";
}

/** `client-transport-security` / `peer-transport-security` of etcd's config file. */
export interface TransportSecurity {
  readonly "cert-file": string;
  readonly "key-file": string;
  readonly "trusted-ca-file": string;
  /** Always true: a certificate signed by the cluster CA is required (`--client-cert-auth`, `--peer-client-cert-auth`). */
  readonly "client-cert-auth": true;
  /** Always false: self-signed, unverified certificates are never generated. */
  readonly "auto-tls": false;
  /**
   * Peer listener only (`--peer-cert-allowed-cn`): the certificate common names allowed to connect,
   * the names members of the cluster can have (EtcdConfigInput.peerNames). Without it any certificate of the cluster CA (the admin's, the
   * kube-apiserver's) is a valid peer: the e2e drill showed `GET /members` on port 2380 answering
   * the admin certificate. A list in the config file is read from 3.5.14 on (every supported version).
   */
  readonly "allowed-cn"?: readonly string[];
}

/** The content of etcd's `--config-file`: keys are etcd's flag names. */
export interface EtcdConfigFile {
  readonly name: string;
  readonly "data-dir": string;
  readonly "wal-dir": string;
  readonly "listen-peer-urls": string;
  readonly "listen-client-urls": string;
  readonly "listen-metrics-urls": string;
  readonly "advertise-client-urls": string;
  readonly "initial-advertise-peer-urls": string;
  readonly "initial-cluster": string;
  readonly "initial-cluster-token": string;
  readonly "initial-cluster-state": "new" | "existing";
  readonly "strict-reconfig-check": true;
  readonly "client-transport-security": TransportSecurity;
  readonly "peer-transport-security": TransportSecurity;
  readonly "tls-min-version": "TLS1.2";
  readonly "cipher-suites": readonly string[];
  readonly "heartbeat-interval": number;
  readonly "election-timeout": number;
  readonly "snapshot-count": number;
  readonly "quota-backend-bytes": number;
  readonly "auto-compaction-mode": "periodic" | "revision";
  readonly "auto-compaction-retention": string;
  readonly "max-request-bytes": number;
  readonly "max-wals": number;
  /** 3.5 only: 3.6 deprecates it (help.go: "Deprecated in v3.6"), with the same default of 5. */
  readonly "max-snapshots"?: number;
  readonly logger: "zap";
  readonly "log-level": "info";
  readonly "log-outputs": readonly string[];
  /** 3.5 only: verify the local data against the other members before serving. */
  readonly "experimental-initial-corrupt-check"?: true;
  /** 3.5 only (from 3.5.5): the leader compares followers' hashes after each compaction. */
  readonly "experimental-compact-hash-check-enabled"?: true;
  /** 3.6 only: the two checks above as feature gates. */
  readonly "feature-gates"?: string;
}

/** `max-wals` / `max-snapshots` (3.5): etcd's default of 5 old files each, kept explicit. */
const RETAINED_WAL_FILES = 5;
const RETAINED_SNAPSHOT_FILES = 5;

/**
 * TLS 1.2 cipher suites etcd accepts (`cipher-suites`, Go's names): forward-secret ECDHE with AEAD
 * ciphers only, for ECDSA and RSA keys alike. TLS 1.3 suites are not configurable and always allowed.
 */
export const ETCD_CIPHER_SUITES: readonly string[] = [
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];

/** The keys whose names differ between the minor lines. */
type LineSpecificKeys = Pick<EtcdConfigFile, "experimental-initial-corrupt-check" | "experimental-compact-hash-check-enabled" | "feature-gates" | "max-snapshots">;

/**
 * The data-integrity checks and file retention, by minor line. 3.6 turned the `experimental-*`
 * switches into feature gates and deprecated `max-snapshots`; an old name set beside its new one is
 * an error (server/embed/config.go, server/features/etcd_features.go). The v2 API is off by default
 * in 3.5 and gone in 3.6, and `enable-v2` is deprecated in 3.5 (help.go: "Deprecated and to be
 * decommissioned in v3.6"), so neither file sets it. Each line's keys are checked against that
 * line's flag list, deprecated flags refused (test/unit/etcd/etcd-config-keys.test.ts).
 */
function lineSpecificKeys(version: string): LineSpecificKeys {
  switch (etcdMinorLine(version)) {
    case "3.6":
      return { "feature-gates": "InitialCorruptCheck=true,CompactHashCheck=true" };
    case "3.5":
      return {
        "max-snapshots": RETAINED_SNAPSHOT_FILES,
        "experimental-initial-corrupt-check": true,
        "experimental-compact-hash-check-enabled": true,
      };
  }
}

function transportSecurity(paths: EtcdHostPaths, cert: string, key: string): Omit<TransportSecurity, "allowed-cn"> {
  return {
    "cert-file": `${paths.certDir}/${cert}`,
    "key-file": `${paths.certDir}/${key}`,
    "trusted-ca-file": `${paths.certDir}/${CERT_FILES.ca}`,
    "client-cert-auth": true,
    "auto-tls": false,
  };
}

/** The member's etcd configuration as an object: the one source of truth `renderEtcdConfig` serializes. */
export function etcdConfigModel(input: EtcdConfigInput): EtcdConfigFile {
  const { member, cluster, paths, tuning } = input;
  if (!cluster.some((other) => other.name === member.name && other.ip === member.ip)) {
    throw new Error(`member ${member.name} (${member.ip}) is not in the cluster it is rendered for`);
  }
  return {
    name: member.name,
    "data-dir": paths.dataDir,
    "wal-dir": paths.walDir,
    "listen-peer-urls": peerUrl(member.ip),
    "listen-client-urls": [clientUrl(member.ip), clientUrl(LOOPBACK_IP)].join(","),
    // Loopback too, so the boot script and health gate read /health without client certificates.
    "listen-metrics-urls": [metricsUrl(member.ip), metricsUrl(LOOPBACK_IP)].join(","),
    "advertise-client-urls": clientUrl(member.ip),
    "initial-advertise-peer-urls": peerUrl(member.ip),
    "initial-cluster": initialCluster(cluster),
    "initial-cluster-token": input.clusterToken,
    "initial-cluster-state": input.initialClusterState,
    // Refuse membership changes that would lose quorum.
    "strict-reconfig-check": true,
    "client-transport-security": transportSecurity(paths, CERT_FILES.serverCert, CERT_FILES.serverKey),
    "peer-transport-security": {
      ...transportSecurity(paths, CERT_FILES.peerCert, CERT_FILES.peerKey),
      "allowed-cn": input.peerNames,
    },
    "tls-min-version": "TLS1.2",
    "cipher-suites": ETCD_CIPHER_SUITES,
    "heartbeat-interval": tuning.heartbeatIntervalMs,
    "election-timeout": tuning.electionTimeoutMs,
    "snapshot-count": tuning.snapshotCount,
    "quota-backend-bytes": tuning.quotaBackendBytes,
    "auto-compaction-mode": tuning.autoCompactionMode,
    "auto-compaction-retention": tuning.autoCompactionRetention,
    "max-request-bytes": tuning.maxRequestBytes,
    "max-wals": RETAINED_WAL_FILES,
    ...lineSpecificKeys(input.version),
    logger: "zap",
    "log-level": "info",
    // stderr goes to the journal under systemd.
    "log-outputs": ["stderr"],
  };
}

/** The member's etcd configuration file (`--config-file`), YAML with etcd's flag names as keys. */
export function renderEtcdConfig(input: EtcdConfigInput): string {
  const header = `# etcd ${input.version} configuration of member ${input.member.name}; rendered by etcd-cluster, do not edit.\n`;
  return header + stringify(etcdConfigModel(input), { lineWidth: 0 });
}
