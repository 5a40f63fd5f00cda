import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { OsImage } from "../core/config/types";
import type { CpuArchitecture } from "../core/etcd/types";
import { ec2ArchitectureName } from "../core/plan/architecture";

/**
 * The vendor's public SSM parameter that holds the current image ID of an OS for an architecture:
 * Amazon publishes Amazon Linux 2023 under `/aws/service/ami-amazon-linux-latest/` (x86_64/arm64),
 * Debian publishes its official images under `/aws/service/debian/release/<major>/latest/<arch>`.
 */
export function osImageParameterName(osImage: OsImage, arch: CpuArchitecture): string {
  switch (osImage) {
    case "al2023":
      return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${ec2ArchitectureName(arch)}`;
    case "debian13":
      return `/aws/service/debian/release/13/latest/${arch}`;
    default: {
      const unknown: never = osImage;
      throw new Error(`unsupported OS image ${String(unknown)}`);
    }
  }
}

/** What decides a member's image. */
export interface MemberImageArgs {
  /** An explicit AMI ID; when set, no lookup happens. */
  readonly ami?: string;
  /** The OS whose current image is looked up when `ami` is absent. */
  readonly osImage: OsImage;
  /** The instance type's architecture (architecture.ts); the image must match it. */
  readonly arch: CpuArchitecture;
}

/**
 * The AMI ID members boot: the configured one, or the vendor's current image read at deploy time.
 * A new vendor image changes the ID, which replaces members one at a time (the health gate orders
 * the rollout); pin `ami` in a stack to control when that happens.
 */
export function memberImageId(args: MemberImageArgs, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
  if (args.ami !== undefined) return pulumi.output(args.ami);
  // `insecureValue`: the public image ID is no secret, and `value` would mark every instance's
  // inputs secret and hide the image from `pulumi preview`.
  return aws.ssm.getParameterOutput({ name: osImageParameterName(args.osImage, args.arch) }, opts).insecureValue;
}
