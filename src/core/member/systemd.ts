import { ETCD_BIN_DIR, ETCD_CONFIG_FILE, ETCD_USER, type VolumeMountPoints, type EtcdHostPaths } from "./ports-and-paths";

/** Name of the etcd service unit on every member. */
export const ETCD_UNIT_NAME = "etcd.service";

/** Open files etcd may hold: one per client and peer connection plus WAL, snapshot and db files. */
export const ETCD_FILE_LIMIT = 65536;

/** Seconds systemd waits before restarting a failed etcd. */
export const ETCD_RESTART_DELAY_SECONDS = 10;

/** What the unit depends on. */
export interface EtcdUnitInput {
  /** The member's etcd name; appears in the description. */
  readonly memberName: string;
  readonly paths: EtcdHostPaths;
  /** Mount points of the data and WAL volumes: etcd must not start without them, and may write only there. */
  readonly mounts: VolumeMountPoints;
}

/**
 * The etcd systemd unit. Priorities follow etcd's tuning guide: the best-effort I/O class at its
 * highest priority (`ionice -c2 -n0`), because the WAL fsync sits on every write's path; more CPU
 * weight than other services. Hardening keeps etcd to reading its config and certificates and
 * writing its two volumes.
 */
export function renderEtcdUnit(input: EtcdUnitInput): string {
  const { mounts } = input;
  return `[Unit]
Description=etcd member ${input.memberName}
Documentation=https://etcd.io/docs/v3.5/op-guide/
Wants=network-online.target
After=network-online.target
# Never start on the root disk: both volumes must be mounted (data-dir ${input.paths.dataDir}, wal-dir ${input.paths.walDir}).
RequiresMountsFor=${mounts.data} ${mounts.wal}
# Never give up restarting: a member that stays down lowers the cluster's fault tolerance unnoticed.
StartLimitIntervalSec=0

[Service]
# etcd tells systemd it is ready once it has joined the cluster and serves clients.
Type=notify
User=${ETCD_USER}
Group=${ETCD_USER}
ExecStart=${ETCD_BIN_DIR}/etcd --config-file=${ETCD_CONFIG_FILE}
Restart=always
RestartSec=${ETCD_RESTART_DELAY_SECONDS}s
# A bootstrapping member waits for a quorum of its peers before it is ready, however long they take.
TimeoutStartSec=infinity
LimitNOFILE=${ETCD_FILE_LIMIT}
IOSchedulingClass=best-effort
IOSchedulingPriority=0
Nice=-10
CPUWeight=1000
NoNewPrivileges=yes
CapabilityBoundingSet=
ProtectSystem=strict
ReadWritePaths=${mounts.data} ${mounts.wal}
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallErrorNumber=EPERM

[Install]
WantedBy=multi-user.target
`;
}
