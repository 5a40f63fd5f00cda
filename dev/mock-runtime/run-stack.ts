/**
 * Runs this project's index.ts offline for one stack file, as `pulumi preview` or `pulumi up`
 * would, with the fake AWS account and a TlsEmulator answering for the providers.
 */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { defaultMemberAddress } from "./fake-network";
import { FakeAwsCloud } from "./fake-aws-cloud";
import type { FakeInstance } from "./fake-instances";
import type { FakeMemberStorage, FakeSubnet } from "./fake-member-storage";
import { createOfflineMocks } from "./offline-mocks";
import { placeholderTls } from "./placeholder-tls";
import type { ProgramRun } from "./run-record";
import { PROJECT_DIR, projectConfigDefaults, projectName, stackConfigDir } from "./project-file";
import { runPulumiProgram } from "./in-process-runner";
import { pulumiConfigValues, readStackFileConfig } from "./stack-files";
import type { TlsEmulator } from "./tls-emulator";

export interface RunProgramOptions {
  /** Stack name: stacks/Pulumi.<stack>.yaml is its config. */
  readonly stack: string;
  /** Run as `pulumi preview` (computed values unknown) instead of `pulumi up`. */
  readonly preview: boolean;
  /**
   * Config values replacing the stack file's, typed as in YAML. Keys as in stack files
   * (`aws:region`); a key without a namespace is the project's (`members`). Default: none.
   */
  readonly configOverrides?: Readonly<Record<string, unknown>>;
  /** Answers the tls resources. Default: placeholderTls (fake, clearly marked PEMs). */
  readonly tls?: TlsEmulator;
  /**
   * Address of the ENI declared `eniIndex`-th (0-based, all subnets) in `subnetId`, when the
   * program requests none. Default: 10.0.<subnet position + 1>.<10 + eniIndex> (fake-network.ts).
   */
  readonly memberAddress?: (eniIndex: number, subnetId: string) => string;
  /**
   * The project to run: its Pulumi.yaml, stack files and index.ts. Default: this checkout. Another
   * directory holds another version of this project (`npm run plan -- <stack> --diff <ref>`).
   */
  readonly projectDir?: string;
  /**
   * Told the type of each resource the program asks a provider for, as it asks: a run that fails
   * keeps no record, so a test learns this way whether anything was declared before the failure.
   */
  readonly onResourceRequest?: (type: string) => void;
  /**
   * Instances the fake account already has, as after an earlier `pulumi up` of the stack
   * (fake-instances.ts `instancesCreatedBy`). Default: none, a new stack.
   */
  readonly existingInstances?: readonly FakeInstance[];
  /**
   * Member ENIs and volumes the fake account already has, as after an earlier `pulumi up`
   * (fake-member-storage.ts `memberStorageCreatedBy`). Default: none, a new stack.
   */
  readonly existingMemberStorage?: FakeMemberStorage;
  /** Subnets of the account whose AZ or VPC is not what their position in the stack's list gives (fake-aws-cloud.ts). */
  readonly accountSubnets?: readonly FakeSubnet[];
  /** Resources created again after an earlier one was lost, by `<type>/<logical name>`, with how many times: each gets a new ID (fake-aws-cloud.ts). */
  readonly recreatedResources?: ReadonlyMap<string, number>;
}

/** Stack file over project defaults, overrides over both; namespaced keys, YAML-typed values. */
function effectiveConfig(stack: string, overrides: Readonly<Record<string, unknown>>, project: string, projectDir: string): Record<string, unknown> {
  const namespacedOverrides = Object.entries(overrides).map(([key, value]): [string, unknown] => [key.includes(":") ? key : `${project}:${key}`, value]);
  return {
    ...projectConfigDefaults(projectDir),
    ...readStackFileConfig(stack, stackConfigDir(projectDir)),
    ...Object.fromEntries(namespacedOverrides),
  };
}

function requiredString(config: Readonly<Record<string, unknown>>, key: string, stack: string): string {
  const value = config[key];
  if (typeof value !== "string") throw new Error(`stack ${stack}: ${key} must be set to run the program offline`);
  return value;
}

export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
  const projectDir = options.projectDir ?? PROJECT_DIR;
  const project = projectName(projectDir);
  const config = effectiveConfig(options.stack, options.configOverrides ?? {}, project, projectDir);
  const subnetIds = Array.isArray(config[`${project}:subnetIds`]) ? (config[`${project}:subnetIds`] as unknown[]).map(String) : [];
  const cloud = new FakeAwsCloud({
    region: requiredString(config, "aws:region", options.stack),
    subnetIds,
    vpcId: requiredString(config, `${project}:vpcId`, options.stack),
    memberAddress: options.memberAddress ?? ((eniIndex, subnetId) => defaultMemberAddress(eniIndex, subnetIds.indexOf(subnetId))),
    instances: options.existingInstances,
    memberStorage: options.existingMemberStorage,
    subnets: options.accountSubnets,
    recreated: options.recreatedResources,
  });
  return runPulumiProgram({
    programPath: path.join(projectDir, "index.ts"),
    project,
    stack: options.stack,
    preview: options.preview,
    config: pulumiConfigValues(config),
    mocks: observedMocks(createOfflineMocks({ preview: options.preview, tls: options.tls ?? placeholderTls, cloud }), options.onResourceRequest),
  });
}

function observedMocks(mocks: pulumi.runtime.Mocks, onResourceRequest: RunProgramOptions["onResourceRequest"]): pulumi.runtime.Mocks {
  if (onResourceRequest === undefined) return mocks;
  return {
    call: (args) => mocks.call(args),
    newResource: (args) => {
      onResourceRequest(args.type);
      return mocks.newResource(args);
    },
  };
}
