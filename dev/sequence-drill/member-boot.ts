/**
 * A member's first boot on a new instance, as cloud-init runs it: the rendered boot script
 * (`/usr/local/sbin/etcd-member-boot` of its user data) in the member's network namespace, with
 * the scripts it calls (join, restore, …) installed beside it. Host paths are mapped under the
 * member's temp root (host-path-text.ts) and the owner is root (the drill runs etcd as root; the
 * restore script's OWNER and the boot's etcd_user are the two substitutions); boot-overrides.sh
 * replaces only the host-touching functions, and the drill's settings it reads are written into the
 * installed boot, so an operator who runs `etcd-member-boot` again on the host (through SSM) runs
 * the same thing. When the script asks systemd to start etcd, the drill starts the member's etcd
 * process (EtcdMember.start; watchEtcdStarts). The boot runs in the background, as on EC2, and is
 * bounded: after BOOT_BOUND_MS it is killed (on EC2 it would go on waiting while the health gate
 * gives up).
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BOOT_SCRIPT_PATH, ETCD_USER } from "../../src/core/member/ports-and-paths";
import { shellQuote } from "../../src/core/formats/shell-quote";
import type { MemberBlueprint } from "../local-cluster/blueprint";
import { onCleanup } from "../local-cluster/cleanup";
import { etcdBinaries } from "../local-cluster/etcd-binaries";
import type { EtcdMember } from "../local-cluster/etcd-member";
import { mapHostPath } from "../local-cluster/host-paths";
import { mapMemberHostPaths } from "./host-path-text";

/** Wall-time bound of one boot. */
export const BOOT_BOUND_MS = 90_000;

const OVERRIDES = join(__dirname, "boot-overrides.sh");
const SCRIPT_DIR = "/usr/local/sbin/";
/** The run-as-root substitutions: `readonly NAME='etcd'` settings of the rendered scripts. */
const OWNER_SETTINGS = [/(readonly OWNER=)'etcd'/g, /( etcd_user=)'etcd'/g];

/** How a boot ended. */
export interface BootOutcome {
  readonly ok: boolean;
  /** Its stdout and stderr, as cloud-init-output.log would hold them. */
  readonly output: string;
  /** True when the drill's bound killed it. */
  readonly bounded: boolean;
}

function asRoot(script: string): string {
  if (!script.includes(`'${ETCD_USER}'`)) return script;
  return OWNER_SETTINGS.reduce((text, setting) => text.replace(setting, "$1'root'"), script);
}

/** Writes every script the member's user data installs under its root, host paths mapped. */
function installScripts(member: EtcdMember, rendered: MemberBlueprint): void {
  for (const [path, content] of Object.entries(rendered.installedFiles)) {
    if (!path.startsWith(SCRIPT_DIR)) continue;
    const file = mapHostPath(member.root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, asRoot(mapMemberHostPaths(content, member.root)), { mode: 0o755 });
  }
}

/** Where a run of the member's boot asks systemd to start etcd (boot-overrides.sh). */
const controlFile = (member: EtcdMember) => join(member.root, "drill-control");

/** Where the member's boots record the units they enabled on its current instance (boot-overrides.sh). */
const enabledUnitsFile = (member: EtcdMember) => join(member.root, "drill-enabled-units");

/** The units the member's boots enabled on its current instance (`systemctl enable`), in order, each once. */
export function enabledUnits(member: EtcdMember): string[] {
  const file = enabledUnitsFile(member);
  return existsSync(file) ? [...new Set(readFileSync(file, "utf8").split("\n").filter(Boolean))] : [];
}

/** The file whose presence makes every member's etcdctl refuse promotions (a fault; boot-overrides.sh), in the cluster's work directory beside the member roots. */
export const PROMOTION_REFUSAL_FILE = "drill-refuse-promotion";

/** The boot script with the drill's settings and the overrides sourced right before the line that runs `main`. */
function withOverrides(bootScript: string, member: EtcdMember): string {
  const lines = bootScript.split("\n");
  const call = lines.findLastIndex((line) => line.includes('main "$@"'));
  if (call < 0) throw new Error('the boot script no longer runs main "$@": teach member-boot.ts');
  const settings = [
    `readonly SEQ_ETCD_BIN_DIR=${shellQuote(etcdBinaries().binDir)}`,
    `readonly SEQ_CONTROL_FILE=${shellQuote(controlFile(member))}`,
    `readonly SEQ_ENABLED_UNITS_FILE=${shellQuote(enabledUnitsFile(member))}`,
    `readonly SEQ_REFUSE_PROMOTION_FILE=${shellQuote(join(dirname(member.root), PROMOTION_REFUSAL_FILE))}`,
  ];
  return [...lines.slice(0, call), ...settings, `source ${shellQuote(OVERRIDES)}`, ...lines.slice(call)].join("\n");
}

/**
 * The member host's systemd, as far as the drill needs it: while watched, a `systemctl start` of
 * etcd by a run of the member's boot (cloud-init's, or an operator's) starts the member's etcd
 * process. The returned function ends the watch, honouring a start asked for just before.
 */
export function watchEtcdStarts(member: EtcdMember): () => void {
  const control = controlFile(member);
  const startIfAsked = () => {
    if (!member.isRunning && existsSync(control) && readFileSync(control, "utf8").includes("start")) {
      writeFileSync(control, "");
      member.start();
    }
  };
  const watcher = setInterval(startIfAsked, 100);
  return () => {
    clearInterval(watcher);
    startIfAsked();
  };
}

/** A boot in progress on one member. */
export class MemberBoot {
  readonly finished: Promise<BootOutcome>;
  /** Set once the boot ended. */
  outcome: BootOutcome | undefined;
  /** What the boot printed so far. */
  output = "";
  private readonly logFile: string;

  private constructor(member: EtcdMember, rendered: MemberBlueprint, environment: Readonly<Record<string, string>>) {
    installScripts(member, rendered);
    const bootFile = mapHostPath(member.root, BOOT_SCRIPT_PATH);
    writeFileSync(bootFile, withOverrides(readFileSync(bootFile, "utf8"), member), { mode: 0o755 });
    writeFileSync(controlFile(member), "");
    // A new instance: its root volume has no unit enabled yet.
    writeFileSync(enabledUnitsFile(member), "");
    this.logFile = mapHostPath(member.root, "/var/log/cloud-init-output.log");
    mkdirSync(dirname(this.logFile), { recursive: true });
    appendFileSync(this.logFile, `--- boot of ${member.name}\n`);
    const env = {
      ...process.env,
      ...environment,
      PATH: `${environment["PATH"] ?? ""}:${mapHostPath(member.root, "/usr/local/bin")}:${process.env["PATH"] ?? ""}`,
    };
    // Its own process group: a boot killed (its instance terminated, the drill's bound) takes every
    // step it started with it, as a terminated instance does; killing bash alone would leave a join
    // step's retries running on.
    const child = spawn("ip", ["netns", "exec", member.namespace, "bash", bootFile], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const killAll = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is gone already.
      }
    };
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString("utf8");
      appendFileSync(this.logFile, chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const unregister = onCleanup(killAll);
    let bounded = false;
    const bound = setTimeout(() => {
      bounded = true;
      killAll();
    }, BOOT_BOUND_MS);
    const endWatch = watchEtcdStarts(member);
    this.finished = new Promise((resolve) => {
      child.once("exit", (code) => {
        clearTimeout(bound);
        unregister();
        endWatch();
        this.outcome = { ok: code === 0, output: this.output, bounded };
        resolve(this.outcome);
      });
    });
    this.kill = killAll;
  }

  /** Stops the boot (its instance is terminated). */
  readonly kill: () => void;

  /** Starts the boot of `member`, laid out with `rendered`, with `environment` (PATH first, e.g. the S3 stub). */
  static start(member: EtcdMember, rendered: MemberBlueprint, environment: Readonly<Record<string, string>>): MemberBoot {
    return new MemberBoot(member, rendered, environment);
  }
}
