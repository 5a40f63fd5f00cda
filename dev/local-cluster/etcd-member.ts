/**
 * One etcd member on the test machine: its rendered config and delivered files laid out under a
 * temp root (host paths mapped by host-paths.ts, nothing else changed), and a real etcd process
 * started with `--config-file` inside the member's own network namespace.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { ETCD_CONFIG_FILE } from "../../src/core/member/ports-and-paths";
import type { MemberBlueprint } from "./blueprint";
import { onCleanup } from "./cleanup";
import { etcdBinaries, type EtcdBinaries } from "./etcd-binaries";
import type { IdentityFiles } from "./etcdctl";
import { configValue, hostPathKeys, mapHostPath, mapHostPaths } from "./host-paths";

function writePrivateFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, content, { mode: 0o600 });
}

export class EtcdMember {
  /** etcd member name, as rendered. */
  readonly name: string;
  /** The member's address; its namespace holds only this one. */
  readonly ip: string;
  /** The config etcd reads: the rendered file with its host paths mapped under `root`. */
  readonly configPath: string;
  /** `data-dir`, mapped under `root`. */
  readonly dataDir: string;
  /** `wal-dir`, mapped under `root`. */
  readonly walDir: string;
  /** etcd's log (stderr), appended across restarts. */
  readonly logPath: string;
  /** `advertise-client-urls` as rendered. */
  readonly clientUrl: string;
  /** `initial-advertise-peer-urls` as rendered. */
  readonly peerUrl: string;
  /** The laid-out config, host paths mapped. */
  private readonly config: string;
  private running: { child: ChildProcess; exited: Promise<void>; unregister: () => void } | undefined;

  constructor(
    blueprint: MemberBlueprint,
    /** Network namespace holding only this member's address. */
    readonly namespace: string,
    /** Temp directory standing in for the member's filesystem root. */
    readonly root: string,
  ) {
    this.name = blueprint.name;
    this.ip = blueprint.ip;
    this.configPath = mapHostPath(root, ETCD_CONFIG_FILE);
    const config = this.layOut(blueprint);
    this.dataDir = configValue(config, "data-dir");
    this.walDir = configValue(config, "wal-dir");
    this.clientUrl = configValue(config, "advertise-client-urls");
    this.peerUrl = configValue(config, "initial-advertise-peer-urls");
    this.config = config;
    this.logPath = mapHostPath(root, "/var/log/etcd.log");
    mkdirSync(dirname(this.logPath), { recursive: true });
  }

  /**
   * The member's peer certificate, key and trusted CA (`peer-transport-security`), on disk; read
   * when asked, so a plaintext config (the benchmarks' reference cluster) can be laid out too.
   */
  get peerIdentityFiles(): IdentityFiles {
    return {
      caFile: configValue(this.config, "peer-transport-security", "trusted-ca-file"),
      certFile: configValue(this.config, "peer-transport-security", "cert-file"),
      keyFile: configValue(this.config, "peer-transport-security", "key-file"),
    };
  }

  /** Writes the rendered config (host paths mapped) and the files it names; returns the mapped config. */
  private layOut(blueprint: MemberBlueprint): string {
    const config = mapHostPaths(blueprint.renderedConfig, this.root);
    writePrivateFile(this.configPath, config);
    for (const keyPath of hostPathKeys(config).filter((path) => path.length === 2)) {
      const path = configValue(config, ...keyPath);
      const content = blueprint.deliveredFiles[basename(path)];
      if (content === undefined) {
        throw new Error(`${this.name}: the config names ${keyPath.join(".")} = ${basename(path)}, which the program does not deliver`);
      }
      writePrivateFile(path, content);
    }
    return config;
  }

  /**
   * Gives the stopped member another rendering of itself (same name and address, e.g. the same
   * stack with another size): its config and delivered files are rewritten, its data kept. This is
   * what an instance replacement does to a member on AWS.
   */
  applyRendering(blueprint: MemberBlueprint): void {
    if (this.running) throw new Error(`${this.name} must be stopped before it gets a new rendering`);
    if (blueprint.name !== this.name || blueprint.ip !== this.ip) {
      throw new Error(`${blueprint.name} (${blueprint.ip}) is not a rendering of ${this.name} (${this.ip})`);
    }
    this.layOut(blueprint);
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Starts real etcd (default: the default release) on the laid-out config, in the member's namespace. */
  start(binaries: EtcdBinaries = etcdBinaries()): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    const log = openSync(this.logPath, "a");
    const child = spawn("ip", ["netns", "exec", this.namespace, binaries.etcd, "--config-file", this.configPath], {
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const unregister = onCleanup(() => child.kill("SIGKILL"));
    this.running = { child, exited, unregister };
    void exited.then(() => {
      if (this.running?.child === child) this.running = undefined;
    });
  }

  /** Sends `signal` (SIGKILL: a crash; SIGTERM: a clean stop) and waits until the process is gone. */
  async stop(signal: NodeJS.Signals): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    running.child.kill(signal);
    await running.exited;
    running.unregister();
  }

  /** Loses the member's data: removes its data and WAL directories. */
  wipe(): void {
    if (this.running) throw new Error(`${this.name} must be stopped before its data is wiped`);
    rmSync(this.dataDir, { recursive: true, force: true });
    rmSync(this.walDir, { recursive: true, force: true });
  }

  /** What etcd logged so far. */
  log(): string {
    return readFileSync(this.logPath, "utf8");
  }
}
