/**
 * `etcd-ops status`: one screen with every member's health, leader, learner state, raft index,
 * database size against the quota and its fragmentation, the newest snapshot in S3 and its age,
 * and every certificate's expiry; exit code 1 when anything is out of bounds (status-report.ts).
 * Needs the stack outputs (`--outputs`): the limits, the bucket and the issued certificates live there.
 */
import { readFileSync } from "node:fs";
import type { ClusterAccess } from "./cluster-access";
import { newestSnapshot } from "./last-backup";
import { probeCluster } from "./member-health";
import { servedCertificateExpiry } from "./served-certificate";
import { statusReport, type CertificateExpiry, type LastBackup, type OperatingLimits } from "./status-report";

/** The stack outputs status reads beyond the connection. */
interface StatusOutputs {
  readonly clusterName?: string;
  readonly backupBucket?: string;
  readonly operatingLimits?: OperatingLimits;
  readonly certificateExpiries?: Readonly<Record<string, string>>;
}

function readStatusOutputs(outputsFile: string): Required<StatusOutputs> {
  const outputs = JSON.parse(readFileSync(outputsFile, "utf8")) as StatusOutputs;
  const missing = (["clusterName", "backupBucket", "operatingLimits", "certificateExpiries"] as const).filter((key) => outputs[key] === undefined);
  if (missing.length > 0) throw new Error(`${outputsFile} lacks the outputs ${missing.join(", ")}: write it with \`pulumi stack output --json --show-secrets\``);
  return outputs as Required<StatusOutputs>;
}

/** Prints the status screen; 0 when everything is in bounds, 1 otherwise. */
export async function runStatus(access: ClusterAccess, outputsFile: string): Promise<number> {
  const outputs = readStatusOutputs(outputsFile);
  const [members, lastBackup, served] = await Promise.all([
    probeCluster(access),
    newestSnapshot(outputs.backupBucket, outputs.clusterName).catch((error: unknown): LastBackup => ({ problem: String(error) })),
    Promise.all(access.endpoints.map((endpoint) => servedCertificateExpiry(access, endpoint))),
  ]);
  const certificates: CertificateExpiry[] = [
    ...Object.entries(outputs.certificateExpiries).map(([name, time]) => ({ name, notAfter: new Date(time) })),
    ...access.endpoints.flatMap((endpoint, index) => {
      const expiry = served[index];
      return expiry instanceof Date ? [{ name: `${endpoint} (served)`, notAfter: expiry }] : [];
    }),
  ];
  const report = statusReport({ members, limits: outputs.operatingLimits, lastBackup, certificates, now: new Date() });
  process.stdout.write(report.text);
  return report.problems.length === 0 ? 0 : 1;
}
