/**
 * A cluster exactly as the program renders it: index.ts runs offline (`pulumi up` mode) for the
 * dev stack, with real certificates (realTls) and member ENI addresses drawn from 127.0.0.11 on;
 * each member's etcd config and scripts come out of what its instance receives (the files of its
 * user data and of the bundle object that names, /etc/etcd/etcd.conf.yml among them), its
 * certificates and keys out of the SSM parameters the program
 * declares for it, the admin's credentials out of the stack outputs.
 */
import { basename, dirname } from "node:path";
import { parse } from "yaml";
import { ETCD_CONFIG_FILE } from "../../src/core/member/ports-and-paths";
import { instancesCreatedBy, type FakeInstance } from "../mock-runtime/fake-instances";
import { installedFile, memberFiles } from "../mock-runtime/received-files";
import type { ProgramRun, RecordedResource } from "../mock-runtime/run-record";
import { SecretValue, ssmParameterValue, type RecordedValue } from "../mock-runtime/recorded-value";
import { realTls } from "../mock-runtime/real-tls";
import type { TlsEmulator } from "../mock-runtime/tls-emulator";
import { newestEtcdRelease } from "../../src/core/etcd/versions";
import { runProgram } from "../mock-runtime/run-stack";
import type { ClusterBlueprint, MemberBlueprint } from "./blueprint";

/** The stack the drills boot; `members` is overridden per suite. */
export const DRILL_STACK = "dev";
/**
 * The release every local rendering is for: the newest pinned 3.5, because the real etcd binaries
 * obtainable here are Debian's 3.5 builds (scripts/fetch-etcd.sh) and no 3.6 binary is. Its config
 * runs on Debian's 3.5.30, whose flags are exactly 3.5.33's (test/unit/etcd/etcd-config-keys.test.ts).
 * The stacks' own default, 3.6, is checked against 3.6's flag list only.
 */
export const LOCAL_ETCD_VERSION = newestEtcdRelease("3.5");

/** Members get 127.0.0.11, .12, …: clear of 127.0.0.1 (each host's own loopback) and the hub's 127.0.0.2. */
const FIRST_MEMBER_OCTET = 11;

const INSTANCE_TYPE = "aws:ec2/instance:Instance";
const PARAMETER_TYPE = "aws:ssm/parameter:Parameter";

/** The address of the ENI the program declares `eniIndex`-th. */
export function loopbackMemberAddress(eniIndex: number): string {
  return `127.0.0.${FIRST_MEMBER_OCTET + eniIndex}`;
}

/** A rendered dev stack: what its members receive and the stack outputs the tests address. */
export interface RenderedStack {
  readonly blueprint: ClusterBlueprint;
  /** The backup bucket's name (stack output `backupBucket`). */
  readonly backupBucket: string;
  /** Every stack output as `pulumi stack output --json --show-secrets` prints them (secrets in plaintext). */
  readonly outputsJson: string;
  /** The member instances the fake account holds after this `up`, tags and all: the next render's `existingInstances`. */
  readonly instances: readonly FakeInstance[];
}

/**
 * Renders the dev stack with `configOverrides` (raw config values over the stack file's, objects
 * allowed: dev/mock-runtime/run-stack.ts) and reads back what each member would receive. `tls` issues the keys and
 * certificates (default: a fresh real CA per render; pass one remembering-tls.ts emulator to
 * several renders to model successive `pulumi up`s of one stack, with the previous render's
 * `instances` as `existingInstances`, so the rules that read the live instances judge the change).
 */
export async function renderedStack(
  configOverrides: Readonly<Record<string, unknown>>,
  tls: TlsEmulator = realTls(),
  existingInstances: readonly FakeInstance[] = [],
): Promise<RenderedStack> {
  const run = await runProgram({
    stack: DRILL_STACK,
    preview: false,
    configOverrides: { etcdVersion: LOCAL_ETCD_VERSION, ...configOverrides },
    tls,
    memberAddress: loopbackMemberAddress,
    existingInstances,
  });
  return {
    blueprint: blueprintOf(run),
    backupBucket: text(run.outputs["backupBucket"], "output backupBucket"),
    outputsJson: JSON.stringify(run.outputs, (_key, value: unknown) => (value instanceof SecretValue ? value.value : value)),
    instances: instancesCreatedBy(run),
  };
}

/** Renders the dev stack with `members` members and reads back what each member would receive. */
export async function renderedBlueprint(members: number, tls?: TlsEmulator): Promise<ClusterBlueprint> {
  return (await renderedStack({ members }, tls)).blueprint;
}

/** A recorded value as text, secret or not; anything else is a broken expectation about the program. */
function text(value: RecordedValue | undefined, what: string): string {
  const plain = value instanceof SecretValue ? value.value : value;
  if (typeof plain !== "string") throw new Error(`${what} is not a string in the program's run`);
  return plain;
}

function resourcesOfType(run: ProgramRun, type: string): readonly RecordedResource[] {
  return run.resources.filter((resource) => resource.type === type);
}

/**
 * The files a member receives: its own parameters (below `…/members/<name>/`) and the cluster-wide
 * ones (outside any member's path, the CA certificate), by their last path segment, which is the
 * file name in the member's certificate directory.
 */
function deliveredFiles(run: ProgramRun, memberName: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const parameter of resourcesOfType(run, PARAMETER_TYPE)) {
    const name = text(parameter.state["name"], `${parameter.name}.name`);
    const parent = dirname(name);
    if (parent.endsWith(`/members/${memberName}`) || !parent.includes("/members")) {
      files[basename(name)] = text(ssmParameterValue(parameter.state), `${parameter.name}.value`);
    }
  }
  return files;
}

function memberOf(run: ProgramRun, instance: RecordedResource): MemberBlueprint {
  const files = memberFiles(run, instance);
  const renderedConfig = installedFile(files, ETCD_CONFIG_FILE);
  const installedFiles = Object.fromEntries(files.map((file) => [file.path, file.content]));
  const config = parse(renderedConfig) as Readonly<Record<string, unknown>>;
  const name = String(config["name"]);
  const ip = new URL(String(config["initial-advertise-peer-urls"])).hostname;
  return { name, ip, renderedConfig, installedFiles, deliveredFiles: deliveredFiles(run, name) };
}

/** Reads a blueprint out of a program run (an update, so every value is known). */
export function blueprintOf(run: ProgramRun): ClusterBlueprint {
  const members = resourcesOfType(run, INSTANCE_TYPE).map((instance) => memberOf(run, instance));
  return {
    members,
    admin: {
      caPem: text(run.outputs["caCertificate"], "output caCertificate"),
      certPem: text(run.outputs["adminClientCertificate"], "output adminClientCertificate"),
      keyPem: text(run.outputs["adminClientKey"], "output adminClientKey"),
    },
  };
}
