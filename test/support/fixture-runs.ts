/** Offline runs of the fixture program (test/support/fixture-program), for the runtime's own tests. */
import * as path from "node:path";
import { FakeAwsCloud } from "../../dev/mock-runtime/fake-aws-cloud";
import { defaultMemberAddress } from "../../dev/mock-runtime/fake-network";
import { createOfflineMocks } from "../../dev/mock-runtime/offline-mocks";
import { placeholderTls } from "../../dev/mock-runtime/placeholder-tls";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { runPulumiProgram } from "../../dev/mock-runtime/in-process-runner";

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
  const preview = options.preview ?? false;
  const cloud = new FakeAwsCloud({
    region: FIXTURE_REGION,
    subnetIds: FIXTURE_SUBNETS,
    vpcId: "vpc-0fffffffffffffff0",
    memberAddress: options.memberAddress ?? ((eniIndex, subnetId) => defaultMemberAddress(eniIndex, FIXTURE_SUBNETS.indexOf(subnetId))),
  });
  return runPulumiProgram({
    programPath: path.join(__dirname, "fixture-program", "index.ts"),
    project: "fixture",
    stack: "test",
    preview,
    config: { "fixture:subnetId": FIXTURE_SUBNETS[1], "fixture:sizeGiB": "20", ...options.config },
    mocks: createOfflineMocks({ preview, tls: placeholderTls, cloud }),
  });
}
