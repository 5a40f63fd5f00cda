import { ETCD_USER } from "./ports-and-paths";
import { ETCD_UNIT_NAME } from "./systemd";

/** What differs between the member's timed maintenance jobs (backup, defrag). */
export interface TimedJobInput {
  /** `Description` of the service. */
  readonly serviceDescription: string;
  /** `Description` of the timer. */
  readonly timerDescription: string;
  /** `Documentation` URL of the service. */
  readonly documentation: string;
  /** Unit file name of the service, e.g. `etcd-backup.service`; the timer's `Unit=`. */
  readonly serviceName: string;
  /** Absolute path of the script the service runs. */
  readonly script: string;
  /** Journal identifier of the script's lines (`SyslogIdentifier`). */
  readonly syslogIdentifier: string;
  /** `TimeoutStartSec` in minutes: a run still going then is killed and logged as failed. */
  readonly timeoutMinutes: number;
  /** systemd `OnCalendar` expression of the timer. */
  readonly onCalendar: string;
  /** `Persistent`: whether a run missed while the instance was off happens at boot. */
  readonly persistent: boolean;
  /** `RandomizedDelaySec` in seconds; absent: the timer fires on the calendar exactly. */
  readonly randomizedDelaySeconds?: number;
  /** The only directory the job may write (`ReadWritePaths`, `RequiresMountsFor`); absent: it writes nothing. */
  readonly writableMount?: string;
  /** Command run as root before the script (`ExecStartPre=+…`), e.g. creating a scratch directory. */
  readonly preparation?: string;
}

/** A oneshot service running a member script and the timer that starts it. */
export interface TimedJobUnits {
  /** Content of the service unit. */
  readonly service: string;
  /** Content of the timer unit. */
  readonly timer: string;
}

/**
 * The service runs the script as the etcd user (it reads the member's certificate and key) at idle
 * I/O priority and low CPU weight, so the job never competes with etcd's own disk and CPU, and
 * behind systemd's sandbox: the file system is read-only except `writableMount`.
 */
export function renderTimedJobUnits(input: TimedJobInput): TimedJobUnits {
  const optional = (line: string, value: string | number | undefined) => (value === undefined ? "" : `${line}${value}\n`);
  const service = `[Unit]
Description=${input.serviceDescription}
Documentation=${input.documentation}
Wants=network-online.target
After=network-online.target ${ETCD_UNIT_NAME}
${optional("RequiresMountsFor=", input.writableMount)}
[Service]
Type=oneshot
User=${ETCD_USER}
Group=${ETCD_USER}
${optional("ExecStartPre=+", input.preparation)}ExecStart=${input.script}
SyslogIdentifier=${input.syslogIdentifier}
TimeoutStartSec=${input.timeoutMinutes}min
IOSchedulingClass=idle
Nice=10
CPUWeight=20
NoNewPrivileges=yes
ProtectSystem=strict
${optional("ReadWritePaths=", input.writableMount)}ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
`;
  const timer = `[Unit]
Description=${input.timerDescription}

[Timer]
OnCalendar=${input.onCalendar}
Persistent=${input.persistent}
${optional("RandomizedDelaySec=", input.randomizedDelaySeconds === undefined ? undefined : `${input.randomizedDelaySeconds}s`)}Unit=${input.serviceName}

[Install]
WantedBy=timers.target
`;
  return { service, timer };
}
