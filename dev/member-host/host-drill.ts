/**
 * The host drill's world: the program rendered offline with real certificates and the etcd release
 * served from the hub; one network namespace per member address (its ENI, kept across instances);
 * EBS volumes as loop devices (kept across instances); instances booted from fresh root filesystems.
 * Everything is removed by `destroy` or, failing that, by the cleanup handlers (local-cluster/cleanup.ts).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { installExitHandlers, onCleanup, runScopedName, sweepLeftovers } from "../local-cluster/cleanup";
import { repoPath } from "../local-cluster/etcd-binaries";
import { runEtcdctl, tlsFlags, writeIdentity, type IdentityFiles } from "../local-cluster/etcdctl";
import { HUB_CLIENT_IP, LoopbackNetwork } from "../local-cluster/loopback-network";
import { execInNamespace, nodeScriptArgv, type CommandResult } from "../local-cluster/namespace-exec";
import { DRILL_STACK, loopbackMemberAddress } from "../local-cluster/program-blueprint";
import { SecretValue, type RecordedValue } from "../mock-runtime/recorded-value";
import { realTls } from "../mock-runtime/real-tls";
import { runProgram } from "../mock-runtime/run-stack";
import type { TlsEmulator } from "../mock-runtime/tls-emulator";
import { awsSideOf, type AwsSide, type DeclaredInstance } from "./aws-side";
import { EbsVolume } from "./ebs-volume";
import { sweepHostLeftovers } from "./leftovers";
import { MemberInstance } from "./member-host";
import { MemberRootfs, baseRootfs } from "./member-rootfs";
import { buildRelease, type ServedRelease } from "./etcd-release-tarball";

/** An x86 type when the machine is x86 (the dev stack's t4g is Graviton); the image follows the type. */
const INSTANCE_TYPE = process.arch === "arm64" ? "m7g.large" : "m6i.large";

/** How a launch attaches the instance's volumes. */
export interface AttachPlan {
  /** Milliseconds after the instance starts before the first volume appears. */
  readonly delayMs: number;
  /** Attach the declared volumes last-first (the WAL volume before the data volume). */
  readonly reversed?: boolean;
  /** Volume IDs that are never attached. */
  readonly never?: readonly string[];
}

/** How an instance is launched besides its declared launch data. */
export interface LaunchOptions {
  readonly attach: AttachPlan;
  /**
   * Environment of the cloud-init process that runs the user data: only for bounds the drill
   * shortens. Default: none. cloud-init 24.4 and later run every stage in cloud-init-main.service
   * (cloud-final.service only signals it), so the drop-in goes there.
   */
  readonly bootEnvironment?: Readonly<Record<string, string>>;
}

/** A program rendering: the AWS side and the admin identity from the outputs. */
export interface Rendering {
  readonly aws: AwsSide;
  readonly adminFiles: IdentityFiles;
}

function outputText(value: RecordedValue | undefined, what: string): string {
  const plain = value instanceof SecretValue ? value.value : value;
  if (typeof plain !== "string") throw new Error(`output ${what} is not a string`);
  return plain;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Port of the AWS endpoint on the hub's address. */
const AWS_ENDPOINT_PORT = 8080;

function writeStored(file: string, content: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** Starts aws-endpoint.ts on the hub's address, serving `dir`, until cleanup; returns its URL. */
async function startAwsEndpoint(dir: string, hubNamespace: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const [command = "", ...args] = nodeScriptArgv(repoPath("dev/member-host/aws-endpoint.ts"), dir, HUB_CLIENT_IP, String(AWS_ENDPOINT_PORT));
  const server = spawn("ip", ["netns", "exec", hubNamespace, command, ...args], { stdio: "inherit" });
  onCleanup(() => server.kill("SIGKILL"));
  const url = `http://${HUB_CLIENT_IP}:${AWS_ENDPOINT_PORT}`;
  for (let attempt = 0; !(await execInNamespace(hubNamespace, ["curl", "--silent", "--output", "/dev/null", `${url}/ssm/`])).ok; attempt++) {
    if (attempt > 100) throw new Error(`the AWS endpoint on ${url} did not start`);
    await sleep(100);
  }
  return url;
}

export class HostDrill {
  private readonly volumes = new Map<string, EbsVolume>();
  private readonly namespaces = new Map<string, string>();
  private launches = 0;

  private constructor(
    readonly network: LoopbackNetwork,
    readonly workDir: string,
    /** URL of the AWS endpoint (aws-endpoint.ts) the members' AWS CLI calls. */
    readonly awsEndpoint: string,
    readonly release: ServedRelease,
  ) {}

  static async create(label: string): Promise<HostDrill> {
    installExitHandlers();
    sweepHostLeftovers();
    sweepLeftovers();
    baseRootfs();
    const workDir = mkdtempSync(join(tmpdir(), `${runScopedName(label)}-`));
    onCleanup(() => rmSync(workDir, { recursive: true, force: true }));
    const network = new LoopbackNetwork(label);
    onCleanup(() => network.destroy());
    const endpoint = await startAwsEndpoint(join(workDir, "aws"), network.hubNamespace);
    return new HostDrill(network, workDir, endpoint, buildRelease(join(workDir, "aws/release"), `${endpoint}/release`));
  }

  /** Runs the dev stack offline with `members` members, its etcd from the hub's release server. */
  async render(members: number, tls: TlsEmulator = realTls()): Promise<Rendering> {
    const run = await runProgram({
      stack: DRILL_STACK,
      preview: false,
      configOverrides: { members, instanceType: INSTANCE_TYPE, etcdVersion: this.release.version, etcdDownloadBaseUrl: this.release.baseUrl },
      tls,
      memberAddress: loopbackMemberAddress,
    });
    const adminFiles = writeIdentity(join(this.workDir, `admin-${members}`), {
      caPem: outputText(run.outputs["caCertificate"], "caCertificate"),
      certPem: outputText(run.outputs["adminClientCertificate"], "adminClientCertificate"),
      keyPem: outputText(run.outputs["adminClientKey"], "adminClientKey"),
    });
    const aws = awsSideOf(run);
    // What `pulumi up` leaves in SSM and S3 (a later rendering of one stack adds to it).
    for (const [name, value] of aws.parameters) writeStored(join(this.workDir, "aws/ssm", name), value);
    for (const [object, bytes] of aws.objects) writeStored(join(this.workDir, "aws/s3", object), bytes);
    return { aws, adminFiles };
  }

  /** Boots `instance` on a fresh root filesystem; its volumes are attached as `plan` says. */
  launch(instance: DeclaredInstance, { attach: plan, bootEnvironment = {} }: LaunchOptions): MemberInstance {
    const namespace = this.namespaces.get(instance.ip) ?? this.network.addHost(instance.ip);
    this.namespaces.set(instance.ip, namespace);
    const dir = join(this.workDir, `${instance.name}-${++this.launches}`);
    mkdirSync(dir);
    const rootfs = new MemberRootfs(dir);
    rootfs.write("/usr/bin/aws", readFileSync(repoPath("dev/member-host/aws-cli-stub.sh")), 0o755);
    rootfs.write("/etc/aws-stub/endpoint", `${this.awsEndpoint}\n`);
    if (Object.keys(bootEnvironment).length > 0) {
      const lines = Object.entries(bootEnvironment)
        .map(([name, value]) => `Environment=${name}=${value}\n`)
        .join("");
      rootfs.write("/etc/systemd/system/cloud-init-main.service.d/host-drill.conf", `[Service]\n${lines}`);
    }
    const member = new MemberInstance(
      {
        name: instance.name,
        instanceId: instance.instanceId,
        userData: instance.userData,
        namespace,
        consoleLog: join(dir, "console.log"),
      },
      rootfs,
    );
    const volumes = instance.volumes.map(({ volumeId, sizeGiB }) => this.volume(volumeId, sizeGiB));
    const order = plan.reversed ? [...volumes].reverse() : volumes;
    void (async () => {
      await sleep(plan.delayMs);
      for (const volume of order) if (!plan.never?.includes(volume.volumeId)) await member.attach(volume);
    })().catch((error: unknown) => console.error(`host drill: attaching volumes to ${instance.name} failed: ${String(error)}`));
    return member;
  }

  /** Objects uploaded to S3 so far below `prefix` (`<bucket>/<key prefix>`), by `<bucket>/<key>`. */
  uploads(prefix: string): string[] {
    const root = join(this.workDir, "aws/s3");
    if (!existsSync(join(root, prefix))) return [];
    return readdirSync(join(root, prefix), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.endsWith(".metadata"))
      .map((entry) => relative(root, join(entry.parentPath, entry.name)));
  }

  /** etcdctl from the hub with the admin identity of `rendering` against `endpoints`. */
  etcdctl(rendering: Rendering, endpoints: readonly string[], args: readonly string[]): Promise<CommandResult> {
    return runEtcdctl(this.network.hubNamespace, endpoints, tlsFlags(rendering.adminFiles), args);
  }

  private volume(volumeId: string, sizeGiB: number): EbsVolume {
    let volume = this.volumes.get(volumeId);
    if (volume === undefined) {
      volume = new EbsVolume(volumeId, this.workDir, sizeGiB);
      this.volumes.set(volumeId, volume);
    }
    return volume;
  }
}
