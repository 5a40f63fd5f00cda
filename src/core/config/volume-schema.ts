/** gp3 EBS volume settings and the AWS limits they are checked against. */
import { z } from "zod";
import type { VolumeSettings } from "./types";

/**
 * gp3 limits (EC2 CreateVolume reference). Every volume gets at least the 3000 IOPS baseline
 * whatever its size; provisioned IOPS above it are capped at 500 per GiB, and throughput at
 * 0.25 MiB/s per provisioned IOPS. AWS has since raised the maxima in newer API docs (80000 IOPS,
 * 2000 MiB/s, 64 TiB); these are the long-standing limits every region and the provider accept.
 */
export const GP3_LIMITS = {
  minSizeGiB: 1,
  maxSizeGiB: 16384,
  minIops: 3000,
  maxIops: 16000,
  maxIopsPerGiB: 500,
  minThroughputMiBps: 125,
  maxThroughputMiBps: 1000,
  /** Throughput may be at most IOPS / 4 (0.25 MiB/s per IOPS). */
  iopsPerMiBps: 4,
} as const;

function gp3Range(minimum: number, maximum: number, unit: string) {
  const outside = { error: `outside gp3's range of ${minimum} to ${maximum} ${unit}; set a value in that range` };
  return z.int().min(minimum, outside).max(maximum, outside);
}

/** Largest IOPS a volume of this size can be given. */
function maxGp3Iops(sizeGiB: number): number {
  return Math.min(GP3_LIMITS.maxIops, Math.max(GP3_LIMITS.minIops, GP3_LIMITS.maxIopsPerGiB * sizeGiB));
}

function withinRange(value: number, minimum: number, maximum: number): boolean {
  return value >= minimum && value <= maximum;
}

/**
 * The ratios between size, IOPS and throughput. Ranges are checked per field; a ratio is checked
 * only between values inside their ranges, so one bad value is reported once.
 */
function checkGp3Ratios(volume: VolumeSettings, context: z.RefinementCtx<VolumeSettings>): void {
  const sizeInRange = withinRange(volume.sizeGiB, GP3_LIMITS.minSizeGiB, GP3_LIMITS.maxSizeGiB);
  const iopsInRange = withinRange(volume.iops, GP3_LIMITS.minIops, GP3_LIMITS.maxIops);
  const throughputInRange = withinRange(volume.throughputMiBps, GP3_LIMITS.minThroughputMiBps, GP3_LIMITS.maxThroughputMiBps);
  const iopsCeiling = maxGp3Iops(volume.sizeGiB);
  if (sizeInRange && iopsInRange && volume.iops > iopsCeiling) {
    context.addIssue({
      code: "custom",
      path: ["iops"],
      input: volume.iops,
      message:
        `above gp3's ${GP3_LIMITS.maxIopsPerGiB} IOPS per GiB, which allows at most ${iopsCeiling} on ${volume.sizeGiB} GiB; ` +
        `lower it to ${iopsCeiling}, or raise sizeGiB to ${Math.ceil(volume.iops / GP3_LIMITS.maxIopsPerGiB)}`,
    });
  }
  const throughputCeiling = Math.floor(volume.iops / GP3_LIMITS.iopsPerMiBps);
  if (iopsInRange && throughputInRange && volume.throughputMiBps > throughputCeiling) {
    context.addIssue({
      code: "custom",
      path: ["throughputMiBps"],
      input: volume.throughputMiBps,
      message:
        `above gp3's 0.25 MiB/s per IOPS, which allows at most ${throughputCeiling} MiB/s with ${volume.iops} IOPS; ` +
        `lower it to ${throughputCeiling}, or raise iops to ${volume.throughputMiBps * GP3_LIMITS.iopsPerMiBps}`,
    });
  }
}

/** A gp3 volume; every field defaults to the given volume's. */
export function volumeSettingsSchema(defaults: VolumeSettings) {
  return z
    .strictObject({
      sizeGiB: gp3Range(GP3_LIMITS.minSizeGiB, GP3_LIMITS.maxSizeGiB, "GiB").default(defaults.sizeGiB),
      iops: gp3Range(GP3_LIMITS.minIops, GP3_LIMITS.maxIops, "IOPS").default(defaults.iops),
      throughputMiBps: gp3Range(GP3_LIMITS.minThroughputMiBps, GP3_LIMITS.maxThroughputMiBps, "MiB/s").default(defaults.throughputMiBps),
    })
    .superRefine(checkGp3Ratios)
    .readonly()
    .prefault({});
}
