/**
 * Runs a Pulumi program file other than the project's index.ts (a test's fixture program, the
 * benchmark's baseline) under the offline mocks: a fake AWS account with the given network and
 * placeholder certificates. run-stack.ts runs index.ts itself, configured by a stack file.
 */
import { FakeAwsCloud, type FakeAwsSettings } from "./fake-aws-cloud";
import { defaultMemberAddress } from "./fake-network";
import { runPulumiProgram } from "./in-process-runner";
import { createOfflineMocks } from "./offline-mocks";
import { placeholderTls } from "./placeholder-tls";
import type { ProgramRun } from "./run-record";

export interface ProgramFileRunOptions {
  /** The program's entry module. */
  readonly programPath: string;
  readonly project: string;
  readonly stack: string;
  /** Run as a preview. Default: false (an update). */
  readonly preview?: boolean;
  /** Namespaced config values, as the CLI passes them (strings). */
  readonly config: Readonly<Record<string, string>>;
  /** The fake account's network; member addresses default to fake-network.ts's defaultMemberAddress. */
  readonly network: Pick<FakeAwsSettings, "region" | "subnetIds" | "vpcId"> & Partial<Pick<FakeAwsSettings, "memberAddress">>;
}

export function runProgramFile(options: ProgramFileRunOptions): Promise<ProgramRun> {
  const preview = options.preview ?? false;
  const { region, subnetIds, vpcId, memberAddress } = options.network;
  const cloud = new FakeAwsCloud({
    region,
    subnetIds,
    vpcId,
    memberAddress: memberAddress ?? ((eniIndex, subnetId) => defaultMemberAddress(eniIndex, subnetIds.indexOf(subnetId))),
  });
  return runPulumiProgram({
    programPath: options.programPath,
    project: options.project,
    stack: options.stack,
    preview,
    config: options.config,
    mocks: createOfflineMocks({ preview, tls: placeholderTls, cloud }),
  });
}
