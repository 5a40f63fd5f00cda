/** Offline runs of the fixture program (test/support/fixture-program), for the runtime's own tests. */
import * as path from "node:path";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { runProgramFile } from "../../dev/mock-runtime/run-program-file";

/** The fixture's subnets: positions 0 and 1, so zones `<region>a` and `<region>b`. */
export const FIXTURE_SUBNETS: readonly string[] = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"];

/** `aws:region` of the fixture's fake cloud. */
export const FIXTURE_REGION = "eu-west-1";

export interface FixtureRunOptions {
  /** Run as a preview. Default: false (an update). */
  readonly preview?: boolean;
  /** `fixture:*` config values, as the CLI passes them (strings). */
  readonly config?: Readonly<Record<string, string>>;
  /** As RunProgramOptions.memberAddress. Default: fake-network.ts's defaultMemberAddress. */
  readonly memberAddress?: (eniIndex: number, subnetId: string) => string;
}

/** Runs the fixture program; its subnet is FIXTURE_SUBNETS[1] and its volume 20 GiB unless configured otherwise. */
export function runFixture(options: FixtureRunOptions = {}): Promise<ProgramRun> {
  return runProgramFile({
    programPath: path.join(__dirname, "fixture-program", "index.ts"),
    project: "fixture",
    stack: "test",
    preview: options.preview,
    config: { "fixture:subnetId": FIXTURE_SUBNETS[1], "fixture:sizeGiB": "20", ...options.config },
    network: { region: FIXTURE_REGION, subnetIds: FIXTURE_SUBNETS, vpcId: "vpc-0fffffffffffffff0", memberAddress: options.memberAddress },
  });
}
