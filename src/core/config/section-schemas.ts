/** Schemas of the config's nested sections: tuning, pki, backup and restore (tags: tag-schema.ts). */
import { z } from "zod";
import { DEFAULT_BACKUP, DEFAULT_PKI, DEFAULT_TUNING } from "./defaults";
import { checkedBy, formattedString, s3ObjectUri, sha256Hex } from "./fields";
import { calendarExpressionProblem } from "./formats";
import { compactionRetentionProblem } from "./tuning-rules";
import { CA_ROTATION_STAGES, type PkiSettings } from "./types";

const positiveInt = () => z.int().positive();

export const tuningSettingsSchema = z
  .strictObject({
    peerRttMs: z.number().positive().default(DEFAULT_TUNING.peerRttMs),
    heartbeatIntervalMs: positiveInt().optional(),
    electionTimeoutMs: positiveInt().optional(),
    snapshotCount: positiveInt().default(DEFAULT_TUNING.snapshotCount),
    quotaBackendGiB: z.number().positive().optional(),
    autoCompactionMode: z.enum(["periodic", "revision"]).default(DEFAULT_TUNING.autoCompactionMode),
    /** A number is accepted too (YAML `0` rather than `"0"`) and kept as etcd's string form. */
    autoCompactionRetention: z
      .union([z.string(), z.int().nonnegative()], { error: 'expected a duration such as "1h" or a whole number' })
      .transform(String)
      .default(DEFAULT_TUNING.autoCompactionRetention),
    maxRequestBytes: positiveInt().default(DEFAULT_TUNING.maxRequestBytes),
  })
  .superRefine((tuning, context) => {
    const reasonAndFix = compactionRetentionProblem(tuning);
    if (reasonAndFix === undefined) return;
    context.addIssue({
      code: "custom",
      path: ["autoCompactionRetention"],
      input: tuning.autoCompactionRetention,
      message: reasonAndFix,
    });
  })
  .readonly()
  .prefault({});

/** Validities must nest: a leaf never outlives its CA, and renewal starts before expiry, not at issue. */
function checkValidities(pki: PkiSettings, context: z.RefinementCtx<PkiSettings>): void {
  if (pki.certValidityHours > pki.caValidityHours) {
    context.addIssue({
      code: "custom",
      path: ["certValidityHours"],
      input: pki.certValidityHours,
      message: `longer than caValidityHours (${pki.caValidityHours}), so certificates would outlive their CA; set it to at most ${pki.caValidityHours}`,
    });
  }
  if (pki.earlyRenewalHours >= pki.certValidityHours) {
    context.addIssue({
      code: "custom",
      path: ["earlyRenewalHours"],
      input: pki.earlyRenewalHours,
      message:
        `not below certValidityHours (${pki.certValidityHours}), so every update would re-issue every certificate; ` +
        `set it below ${pki.certValidityHours}, e.g. ${Math.floor(pki.certValidityHours / 12)} (a twelfth of the validity)`,
    });
  }
}

export const pkiSettingsSchema = z
  .strictObject({
    keyAlgorithm: z.enum(["ECDSA", "RSA"]).default(DEFAULT_PKI.keyAlgorithm),
    ecdsaCurve: z
      .enum(["P256", "P384"], {
        error: "not a curve Go's TLS (and so etcd) accepts; set P256 or P384 (never P224, the tls provider's default)",
      })
      .default(DEFAULT_PKI.ecdsaCurve),
    rsaBits: z
      .int()
      .min(2048, "below 2048 bits, too weak for a TLS key today; set 2048, 3072 or 4096")
      // Each key travels as one SSM standard-tier parameter (4096 bytes): an RSA-4096 key's PEM is
      // about 3.2 KB, an RSA-8192 one about 6.3 KB.
      .max(4096, "above 4096 bits, the key's PEM outgrows the 4 KB SSM parameter that carries it to the member; set 2048, 3072 or 4096")
      .default(DEFAULT_PKI.rsaBits),
    caValidityHours: positiveInt().default(DEFAULT_PKI.caValidityHours),
    certValidityHours: positiveInt().default(DEFAULT_PKI.certValidityHours),
    earlyRenewalHours: positiveInt().default(DEFAULT_PKI.earlyRenewalHours),
    caRotation: z
      .strictObject({
        generation: positiveInt(),
        stage: z.enum(CA_ROTATION_STAGES, {
          error: `not a stage of the CA rotation; set one of ${CA_ROTATION_STAGES.join(", ")}, in that order, one \`pulumi up\` each (README "Rotating the CA")`,
        }),
      })
      .readonly()
      .optional(),
  })
  .superRefine(checkValidities)
  .readonly()
  .prefault({});

/** Data Lifecycle Manager accepts only these intervals for an hourly schedule. */
const DLM_INTERVAL_HOURS: readonly number[] = [1, 2, 3, 4, 6, 8, 12, 24];

/** DLM keeps at most 1000 snapshots per schedule. */
const DLM_MAX_RETAIN_COUNT = 1000;

function dlmIntervalProblem(hours: number): string | undefined {
  if (DLM_INTERVAL_HOURS.includes(hours)) return undefined;
  return `not an interval Data Lifecycle Manager accepts; set one of ${DLM_INTERVAL_HOURS.join(", ")}`;
}

export const backupSettingsSchema = z
  .strictObject({
    snapshotSchedule: formattedString(calendarExpressionProblem).default(DEFAULT_BACKUP.snapshotSchedule),
    retentionDays: positiveInt().default(DEFAULT_BACKUP.retentionDays),
    volumeSnapshots: z
      .strictObject({
        intervalHours: checkedBy(z.int(), dlmIntervalProblem).default(DEFAULT_BACKUP.volumeSnapshots.intervalHours),
        retainCount: positiveInt().max(DLM_MAX_RETAIN_COUNT).default(DEFAULT_BACKUP.volumeSnapshots.retainCount),
      })
      .readonly()
      .prefault({}),
  })
  .readonly()
  .prefault({});

/**
 * The snapshot is pinned by its SHA-256: the restore refuses any other content under that key (an
 * overwritten object, a newer backup of the same name), so the members that create the cluster
 * all restore the same bytes.
 */
export const restoreSettingsSchema = z
  .strictObject({
    snapshotUri: s3ObjectUri,
    snapshotSha256: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? "a restore pins its snapshot; set restore.snapshotSha256 to the object's SHA-256 " +
              "(aws s3api head-object --bucket <bucket> --key <key> --query Metadata.sha256, or sha256sum of the file)"
            : undefined,
      })
      .pipe(sha256Hex),
  })
  .readonly();
