/**
 * The staged CA rotation (`pki.caRotation`, README "Rotating the CA"): which CA generations a
 * stage declares, which one signs, what the members trust, and the order of the stages. Pure: the
 * Pulumi wiring (src/pulumi/pki) and the rotation rules (ca-rotation-rules.ts) read it.
 *
 * etcd reads `trusted-ca-file` once, at start-up, into a pool that may hold several CAs (Go's
 * `x509.CertPool.AppendCertsFromPEM` takes every certificate of the file), so a member trusting
 * the old and the new CA talks to peers and clients of either: that overlap is what lets members
 * restart one at a time while the cluster keeps its quorum.
 */
import { CA_ROTATION_STAGES, type CaRotation } from "../config/types";

/** The CAs one stage declares. */
export interface CaGenerations {
  /** Generations every member and client trusts, oldest first: the CA bundle. */
  readonly trusted: readonly number[];
  /** The generation that signs every member and client certificate. */
  readonly signing: number;
}

/**
 * - trust-both: the new CA joins the bundle; the old one still signs, so no leaf changes;
 * - reissue-leaves: the new CA signs every leaf; both stay trusted;
 * - drop-old-ca: only the new CA is left.
 */
export function caGenerations(rotation: CaRotation | undefined): CaGenerations {
  if (rotation === undefined) return { trusted: [0], signing: 0 };
  const { generation } = rotation;
  switch (rotation.stage) {
    case "trust-both":
      return { trusted: [generation - 1, generation], signing: generation - 1 };
    case "reissue-leaves":
      return { trusted: [generation - 1, generation], signing: generation };
    case "drop-old-ca":
      return { trusted: [generation], signing: generation };
  }
}

/**
 * A rotation state as one number, so "forward by one" is arithmetic: 0 for a CA never rotated,
 * then three steps per generation (generation 1 trust-both is 1, its drop-old-ca 3, generation 2
 * trust-both 4). Generation g's drop-old-ca and generation g+1's trust-both are neighbours.
 */
export function caRotationStep(rotation: CaRotation | undefined): number {
  if (rotation === undefined) return 0;
  return (rotation.generation - 1) * CA_ROTATION_STAGES.length + CA_ROTATION_STAGES.indexOf(rotation.stage) + 1;
}

/** The rotation state of a step (caRotationStep's inverse); undefined for step 0. */
export function caRotationAtStep(step: number): CaRotation | undefined {
  if (step === 0) return undefined;
  const stages = CA_ROTATION_STAGES.length;
  return { generation: Math.floor((step - 1) / stages) + 1, stage: CA_ROTATION_STAGES[(step - 1) % stages] };
}

/** How config and messages spell a state: `{ generation: 1, stage: trust-both }`, or "no caRotation (the first CA)". */
export function describeCaRotation(rotation: CaRotation | undefined): string {
  return rotation === undefined ? "no caRotation (the first CA)" : `{ generation: ${rotation.generation}, stage: ${rotation.stage} }`;
}

/**
 * The value of a member instance's TAG_KEYS.caRotation tag: `<generation>/<stage>`. Every stage
 * changes what every member trusts or presents, so the tag changes only with the instance's user
 * data, that is only with a new instance, and a live instance's tag says what it booted with.
 */
export function caRotationTagValue(rotation: CaRotation): string {
  return `${rotation.generation}/${rotation.stage}`;
}

/** Reads a tag value back; absent means an instance from before any rotation. Throws on anything else. */
export function parseCaRotationTag(value: string | undefined): CaRotation | undefined {
  if (value === undefined) return undefined;
  const match = /^([1-9][0-9]*)\/([a-z-]+)$/.exec(value);
  const stage = CA_ROTATION_STAGES.find((candidate) => candidate === match?.[2]);
  if (match === null || stage === undefined) throw new Error(`not a CA rotation tag: ${JSON.stringify(value)}`);
  return { generation: Number(match[1]), stage };
}

/**
 * One PEM bundle of the trusted CA certificates, in the given order, each ending its line. A single
 * CA comes back byte for byte: a stack that never rotates keeps its CA parameter unchanged, since
 * any change of it replaces every member.
 */
export function caBundlePem(certificatePems: readonly string[]): string {
  if (certificatePems.length === 1) return certificatePems[0];
  return certificatePems.map((pem) => (pem.endsWith("\n") ? pem : `${pem}\n`)).join("");
}
