/**
 * One EC2 instance of a member: its root filesystem booted by systemd-nspawn with systemd as PID 1,
 * in the member's network namespace, with cloud-init running the member's user data from a NoCloud
 * seed exactly as EC2's datasource would hand it over (the same bytes: gzip-compressed
 * #cloud-config). Volumes are attached while it boots. Terminating it kills everything inside,
 * as an instance termination does; its volumes and network namespace (its ENI) stay.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { onCleanup } from "../local-cluster/cleanup";
import { commandResult, type CommandResult } from "../local-cluster/namespace-exec";
import type { EbsVolume } from "./ebs-volume";
import type { MemberRootfs } from "./member-rootfs";
import { childPids, killQuietly, readProcText } from "./proc-files";

/** What an instance boots with. */
export interface InstanceLaunch {
  /** Hostname and nspawn machine name. */
  readonly name: string;
  /** The instance ID (cloud-init's per-instance state is keyed by it). */
  readonly instanceId: string;
  /** The user data bytes, as EC2 stores them (gzip-compressed here). */
  readonly userData: Buffer;
  /** Network namespace of the member's ENI (`ip netns` name). */
  readonly namespace: string;
  /** Where nspawn's console output goes. */
  readonly consoleLog: string;
}

/** cloud-init's outcome of the boot (/var/lib/cloud/data/result.json). */
export interface BootResult {
  readonly errors: readonly string[];
  /** Milliseconds from the instance's start to cloud-init's result. */
  readonly bootMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export class MemberInstance {
  private readonly nspawn: ChildProcess;
  private readonly startedAt = Date.now();
  private readonly stop: () => void;
  private leader: number | undefined;
  private nextNvmeIndex = 1;

  constructor(
    readonly launch: InstanceLaunch,
    readonly rootfs: MemberRootfs,
  ) {
    rootfs.write("/var/lib/cloud/seed/nocloud/user-data", launch.userData, 0o600);
    rootfs.write("/var/lib/cloud/seed/nocloud/meta-data", `instance-id: ${launch.instanceId}\nlocal-hostname: ${launch.name}\n`, 0o600);
    const console = openSync(launch.consoleLog, "a");
    // On EC2 the kernel lets PID 1 raise its open-files hard limit to fs.nr_open, which the units'
    // LimitNOFILE= relies on; this sandbox's own hard limit (20000 here) is lower, so give it back.
    const nrOpen = readFileSync("/proc/sys/fs/nr_open", "utf8").trim();
    // The console is read, as EC2 keeps an instance's console output: with `--console=passive`
    // nobody drains the pseudo-TTY, and once its buffer is full every writer to /dev/console blocks,
    // PID 1 and cloud-init's final stage (StandardOutput=journal+console) included.
    this.nspawn = spawn(
      "systemd-nspawn",
      [
        "--quiet",
        "--boot",
        "--register=no",
        "--keep-unit",
        `--machine=${launch.name}`,
        `--directory=${rootfs.dir}`,
        `--network-namespace-path=/run/netns/${launch.namespace}`,
        "--console=read-only",
        `--rlimit=RLIMIT_NOFILE=1024:${nrOpen}`,
      ],
      { stdio: ["ignore", console, console] },
    );
    this.stop = onCleanup(() => this.kill());
  }

  /** PID (on the host) of the instance's systemd; waits for nspawn to start it. */
  async leaderPid(): Promise<number> {
    while (this.findLeader() === undefined) {
      if (this.nspawn.exitCode !== null) throw new Error(`systemd-nspawn of ${this.launch.name} exited ${this.nspawn.exitCode}: see ${this.launch.consoleLog}`);
      await sleep(50);
    }
    return this.leader!;
  }

  /** The container's init (systemd) among nspawn's children, once it runs. */
  private findLeader(): number | undefined {
    this.leader ??= this.nspawnChildren().find((pid) => readProcText(`/proc/${pid}/comm`).trim() === "systemd");
    return this.leader;
  }

  private nspawnChildren(): number[] {
    return this.nspawn.pid === undefined ? [] : childPids(this.nspawn.pid);
  }

  /** Attaches `volume` as the next NVMe device (nvme1n1, nvme2n1, … in attachment order). */
  async attach(volume: EbsVolume): Promise<void> {
    const root = `/proc/${await this.leaderPid()}/root`;
    while (!existsSync(join(root, "dev/null"))) await sleep(50);
    volume.attachTo(root, this.nextNvmeIndex++);
  }

  /** Runs `argv` inside the instance as root (all its namespaces), with a clean environment. */
  async exec(argv: readonly string[]): Promise<CommandResult> {
    const pid = await this.leaderPid();
    return new Promise((resolve) => {
      execFile(
        "nsenter",
        [`--target=${pid}`, "--all", "env", "-i", `PATH=${PATH}`, ...argv],
        { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve(commandResult(error, stdout, stderr)),
      );
    });
  }

  /** Waits until cloud-init has finished the user data (successfully or not), at most `timeoutMs`. */
  async bootResult(timeoutMs: number): Promise<BootResult> {
    const resultFile = this.rootfs.path("/var/lib/cloud/data/result.json");
    while (!existsSync(resultFile)) {
      if (Date.now() - this.startedAt > timeoutMs) throw new Error(`${this.launch.name}: cloud-init gave no result within ${timeoutMs} ms; ${this.bootLog()}`);
      if (this.nspawn.exitCode !== null) throw new Error(`${this.launch.name}: the instance stopped during boot; see ${this.launch.consoleLog}`);
      await sleep(500);
    }
    const result = JSON.parse(readFileSync(resultFile, "utf8")) as { v1: { errors: string[] } };
    return { errors: result.v1.errors, bootMs: Date.now() - this.startedAt };
  }

  /** The boot's output (cloud-init's log of the user data's commands). */
  bootLog(): string {
    const file = this.rootfs.path("/var/log/cloud-init-output.log");
    return existsSync(file) ? readFileSync(file, "utf8") : "(no cloud-init output yet)";
  }

  /** Runs `argv` inside the instance and returns its stdout; throws with its stderr when it fails. */
  async run(argv: readonly string[]): Promise<string> {
    const result = await this.exec(argv);
    if (!result.ok) throw new Error(`${this.launch.name}: ${argv.join(" ")} failed: ${result.stderr.trim() || result.stdout.trim()}`);
    return result.stdout;
  }

  /** Terminates the instance: everything inside is killed at once, as when EC2 terminates it. */
  async terminate(): Promise<void> {
    this.stop();
    while (this.nspawn.exitCode === null && this.nspawn.signalCode === null) await sleep(50);
    this.rootfs.destroy();
  }

  private kill(): void {
    // The container's init first (or whatever nspawn has started so far): killing it ends every
    // process in the container.
    for (const pid of this.findLeader() === undefined ? this.nspawnChildren() : [this.leader!]) killQuietly(pid);
    this.nspawn.kill("SIGKILL");
  }
}
