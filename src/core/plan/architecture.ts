import { INSTANCE_TYPE_PATTERN } from "../config/formats";
import type { CpuArchitecture } from "../etcd/types";

/**
 * Graviton (arm64) families carry a `g` as the first attribute right after the generation digits:
 * t4g, m6g, m7gd, c7gn, r8g, x2gd, im4gn, is4gen, g5g, hpc7g.
 */
const GRAVITON_FAMILY_PATTERN = /^[a-z]+\d+g[a-z0-9-]*\./;

/** The first Graviton family predates that convention: `a1` has no `g` and is arm64. */
const FIRST_GRAVITON_FAMILY = "a1.";

/**
 * CPU architecture of an EC2 instance type: arm64 for Graviton types, amd64 (x86_64, named as
 * etcd's release tarballs name it) for every other. Throws for a name that is not an instance type.
 */
export function instanceArchitecture(instanceType: string): CpuArchitecture {
  if (!INSTANCE_TYPE_PATTERN.test(instanceType)) {
    throw new Error(`"${instanceType}" is not an EC2 instance type (expected e.g. m7g.large or m6i.xlarge)`);
  }
  return GRAVITON_FAMILY_PATTERN.test(instanceType) || instanceType.startsWith(FIRST_GRAVITON_FAMILY) ? "arm64" : "amd64";
}

/** EC2's name of an architecture (DescribeImages `Architecture`, Amazon Linux's image parameters): `x86_64` for amd64. */
export function ec2ArchitectureName(arch: CpuArchitecture): "x86_64" | "arm64" {
  return arch === "arm64" ? "arm64" : "x86_64";
}
