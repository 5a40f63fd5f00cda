/**
 * `etcd-ops status` as a pure function: what was observed (members, the newest snapshot in S3, the
 * certificates) and the stack's limits in, one screen of text and the list of what is out of bounds
 * out. The bounds are the alerts' (monitoring/etcd-alerts.yml), except the database, which counts
 * from 80 % of the quota so there is time to act before the alert.
 */
import type { OperatingLimits } from "../../src/core/plan/cluster-plan";
import type { MemberHealth } from "./member-health";
import { formatBytes } from "./progress";
import { formatTable } from "./text-table";

/** The newest snapshot object, or why it could not be found. */
export type LastBackup = { readonly uri: string; readonly time: Date } | { readonly problem: string };

/** One certificate and when it expires. */
export interface CertificateExpiry {
  /** E.g. `ca`, `etcd-prod-0/server`, `client/admin`, or `https://10.0.1.10:2379 (served)`. */
  readonly name: string;
  readonly notAfter: Date;
}

export type { OperatingLimits };

export interface StatusInput {
  readonly members: readonly MemberHealth[];
  readonly limits: OperatingLimits;
  readonly lastBackup: LastBackup;
  readonly certificates: readonly CertificateExpiry[];
  readonly now: Date;
}

export interface StatusReport {
  /** The screen: member table, then backup, certificates and problems. */
  readonly text: string;
  /** What is out of bounds, one line each; empty when all is well. */
  readonly problems: readonly string[];
}

/** Database use of the quota from which status reports a problem. */
export const QUOTA_USE_LIMIT = 0.8;
/** etcd's mixin: a file over 100 MiB with less than half of it in use is worth a defrag. */
export const FRAGMENTATION_MIN_BYTES = 100 * 1024 * 1024;
export const FRAGMENTATION_MIN_IN_USE = 0.5;

const COLUMNS = ["ENDPOINT", "HEALTHY", "LEADER", "LEARNER", "RAFT INDEX", "DB SIZE", "OF QUOTA", "IN USE", "PROBLEM"];

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** `90061` → `1d 1h 1m`, `86400` → `1d 0h 0m`; under a minute: `45s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const parts = [
    [Math.floor(s / 86400), "d"],
    [Math.floor((s % 86400) / 3600), "h"],
    [Math.floor((s % 3600) / 60), "m"],
  ] as const;
  const first = parts.findIndex(([value]) => value > 0);
  return parts
    .slice(first)
    .map(([value, unit]) => `${value}${unit}`)
    .join(" ");
}

function memberProblems(member: MemberHealth, limits: OperatingLimits): string[] {
  const { status } = member;
  const problems = member.healthy ? [] : [`${member.endpoint} is unhealthy: ${member.problem ?? "unknown"}`];
  if (status === undefined) return problems;
  if (status.isLearner) problems.push(`${member.endpoint} is still a learner (no vote): run etcd-join-cluster --promote on it`);
  const quotaUse = status.dbSizeBytes / limits.quotaBackendBytes;
  if (quotaUse >= QUOTA_USE_LIMIT) {
    problems.push(`${member.endpoint} database fills ${percent(quotaUse)} of its quota (${formatBytes(limits.quotaBackendBytes)}); NOSPACE at 100 %`);
  }
  const inUse = status.dbSizeInUseBytes / status.dbSizeBytes;
  if (status.dbSizeBytes > FRAGMENTATION_MIN_BYTES && inUse < FRAGMENTATION_MIN_IN_USE) {
    problems.push(`${member.endpoint} database is fragmented: ${percent(inUse)} of ${formatBytes(status.dbSizeBytes)} in use; defragment it`);
  }
  return problems;
}

function memberRow(member: MemberHealth, limits: OperatingLimits): string[] {
  const { status } = member;
  const yesNo = (value: boolean | undefined) => (value === undefined ? "?" : value ? "yes" : "no");
  return [
    member.endpoint,
    member.healthy ? "yes" : "NO",
    yesNo(status?.isLeader),
    yesNo(status?.isLearner),
    status?.raftIndex ?? "?",
    status === undefined ? "?" : formatBytes(status.dbSizeBytes),
    status === undefined ? "?" : percent(status.dbSizeBytes / limits.quotaBackendBytes),
    status === undefined || status.dbSizeBytes === 0 ? "?" : percent(status.dbSizeInUseBytes / status.dbSizeBytes),
    member.problem ?? "",
  ];
}

function leaderProblems(members: readonly MemberHealth[]): string[] {
  const leaders = members.filter((member) => member.status?.isLeader).map((member) => member.endpoint);
  if (leaders.length === 1) return [];
  return leaders.length === 0 ? ["no member reports being the leader"] : [`several members report being the leader: ${leaders.join(", ")}`];
}

function backupLine(lastBackup: LastBackup, limits: OperatingLimits, now: Date): { line: string; problems: string[] } {
  const limitSeconds = 2 * limits.backupIntervalSeconds;
  if ("problem" in lastBackup) return { line: `last backup: ? (${lastBackup.problem})`, problems: [`last backup unknown: ${lastBackup.problem}`] };
  const age = (now.getTime() - lastBackup.time.getTime()) / 1000;
  const line = `last backup: ${lastBackup.uri} at ${lastBackup.time.toISOString()}, ${formatDuration(age)} ago (limit ${formatDuration(limitSeconds)})`;
  return { line, problems: age > limitSeconds ? [`the last backup is ${formatDuration(age)} old, more than twice the backup interval`] : [] };
}

/** What renews a certificate: an `up` for a leaf; the CA (`ca`, `ca/next`, `ca/previous` in certificateExpiries) never renews itself. */
function renewalAdvice(certificateName: string): string {
  return certificateName === "ca" || certificateName.startsWith("ca/") ? 'ROTATE: README "Rotating the CA"' : "RENEW: run pulumi up";
}

function certificateLines(certificates: readonly CertificateExpiry[], limits: OperatingLimits, now: Date): { lines: string[]; problems: string[] } {
  const windowSeconds = limits.certificateRenewalHours * 3600;
  const sorted = [...certificates].sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime());
  const lines = sorted.map((certificate) => {
    const left = (certificate.notAfter.getTime() - now.getTime()) / 1000;
    return `  ${certificate.name}  expires ${certificate.notAfter.toISOString()}, in ${formatDuration(left)}${left < windowSeconds ? `  ${renewalAdvice(certificate.name)}` : ""}`;
  });
  const problems = sorted
    .filter((certificate) => (certificate.notAfter.getTime() - now.getTime()) / 1000 < windowSeconds)
    .map(
      (certificate) =>
        `certificate ${certificate.name} expires ${certificate.notAfter.toISOString()}, inside the ${limits.certificateRenewalHours} h renewal window`,
    );
  return { lines: [`certificates (renewal window ${formatDuration(windowSeconds)}):`, ...lines], problems };
}

/** The screen and its verdict. */
export function statusReport(input: StatusInput): StatusReport {
  const healthy = input.members.filter((member) => member.healthy).length;
  const backup = backupLine(input.lastBackup, input.limits, input.now);
  const certificates = certificateLines(input.certificates, input.limits, input.now);
  const problems = [
    ...input.members.flatMap((member) => memberProblems(member, input.limits)),
    ...leaderProblems(input.members),
    ...backup.problems,
    ...certificates.problems,
  ];
  const text = [
    formatTable(
      COLUMNS,
      input.members.map((member) => memberRow(member, input.limits)),
    ),
    `${healthy}/${input.members.length} members healthy; quota ${formatBytes(input.limits.quotaBackendBytes)}`,
    backup.line,
    ...certificates.lines,
    problems.length === 0 ? "status: OK" : `status: ${problems.length} out of bounds:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`,
  ].join("\n");
  return { text: `${text}\n`, problems };
}
