import { MEMBER_METRICS_SCRIPT_PATH, ETCD_USER, ETCD_PORTS } from "./ports-and-paths";
import { renderTimedJobUnits, type TimedJobUnits } from "./timed-job-units";

/** The endpoint's socket; one `etcd-member-metrics@.service` instance answers each connection. */
export const MEMBER_METRICS_SOCKET_NAME = "etcd-member-metrics.socket";
export const MEMBER_METRICS_SERVICE_TEMPLATE_NAME = "etcd-member-metrics@.service";
/** The hourly CloudWatch publication of the certificates' remaining life. */
export const CERTIFICATE_METRICS_SERVICE_NAME = "etcd-certificate-metrics.service";
export const CERTIFICATE_METRICS_TIMER_NAME = "etcd-certificate-metrics.timer";

/** The units of the member's metrics: the endpoint (socket and per-connection service) and the publication. */
export interface MemberMetricsUnits {
  readonly socket: string;
  readonly serviceTemplate: string;
  readonly publication: TimedJobUnits;
}

/**
 * The endpoint is socket-activated (`Accept=yes`): nothing runs between scrapes and no package is
 * needed beyond bash and openssl. Each request runs as the etcd user (it reads the certificates and
 * the metric files), read-only, bounded in time and in parallel connections.
 */
export function renderMemberMetricsUnits(memberName: string): MemberMetricsUnits {
  const socket = `[Unit]
Description=etcd member metrics of ${memberName} (backup, certificates)

[Socket]
ListenStream=${ETCD_PORTS.memberMetrics}
Accept=yes
MaxConnections=16

[Install]
WantedBy=sockets.target
`;
  const serviceTemplate = `[Unit]
Description=etcd member metrics request

[Service]
ExecStart=${MEMBER_METRICS_SCRIPT_PATH} serve
StandardInput=socket
StandardOutput=socket
StandardError=journal
User=${ETCD_USER}
Group=${ETCD_USER}
RuntimeMaxSec=30
Nice=10
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
`;
  const publication = renderTimedJobUnits({
    serviceDescription: `certificate life of ${memberName} to CloudWatch`,
    timerDescription: `certificate life of ${memberName} to CloudWatch, hourly`,
    documentation: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html",
    serviceName: CERTIFICATE_METRICS_SERVICE_NAME,
    script: `${MEMBER_METRICS_SCRIPT_PATH} publish`,
    syslogIdentifier: "etcd-member-metrics",
    timeoutMinutes: 5,
    onCalendar: "hourly",
    persistent: true,
    randomizedDelaySeconds: 300,
  });
  return { socket, serviceTemplate, publication };
}
