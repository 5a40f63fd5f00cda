/**
 * A sequence drill: an operator's story of several `pulumi up`s (and faults between them) played
 * against real etcd members. Each `up` renders the dev stack offline with the story's config (real
 * certificates, remembered across ups as Pulumi's state remembers them), derives the steps the
 * engine would take from what is deployed (update-steps.ts) and applies them one at a time:
 * an instance created boots its rendered boot script (member-boot.ts), an instance deleted stops
 * its member, a volume created is blank when its member's next instance boots, and every
 * `command:local:Command` (health gates, removals) runs its script against the members
 * (deployer.ts). A failed step stops the `up`, as it stops Pulumi; what succeeded stays deployed.
 * After every step the invariants are checked (invariants.ts) and one line per step is printed.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BOOT_COMPLETE_MARKER, DEFAULT_VOLUME_MOUNT_POINTS } from "../../src/core/member/ports-and-paths";
import { TAG_KEYS } from "../../src/core/aws/tags";
import type { ClusterBlueprint, MemberBlueprint } from "../local-cluster/blueprint";
import { onCleanup, runScopedName } from "../local-cluster/cleanup";
import { repoPath } from "../local-cluster/etcd-binaries";
import type { EtcdMember } from "../local-cluster/etcd-member";
import { mapHostPath } from "../local-cluster/host-paths";
import { LocalCluster } from "../local-cluster/local-cluster";
import { blueprintOf, DRILL_STACK, LOCAL_ETCD_VERSION, loopbackMemberAddress } from "../local-cluster/program-blueprint";
import { instancesCreatedBy } from "../mock-runtime/fake-instances";
import { isRecordedObject, recordedText } from "../mock-runtime/recorded-value";
import type { ProgramRun, RecordedResource } from "../mock-runtime/run-record";
import { runProgram } from "../mock-runtime/run-stack";
import type { TlsEmulator } from "../mock-runtime/tls-emulator";
import { describeView, viewCluster, type ClusterView, type ListedMember } from "./cluster-view";
import { OperatorCredentials } from "./operator-credentials";
import type { DrillInstance } from "./deployer-aws-cli";
import { Deployer, type CommandRun } from "./deployer";
import { Invariants, type AcknowledgedWrites } from "./invariants";
import { enabledUnits, MemberBoot, PROMOTION_REFUSAL_FILE } from "./member-boot";
import { runOnHost } from "./operator-on-host";
import { updateSteps, type UpdateStep } from "./update-steps";

const INSTANCE = "aws:ec2/instance:Instance";
const VOLUME = "aws:ebs/volume:Volume";
const COMMAND = "command:local:Command";
/** The state's mark on a resource whose last update failed: the next diff shows it as this input. */
const LAST_UPDATE_FAILED = "(last update failed)";
/** Lines of a failed step's output printed. */
const FAILURE_LINES = 8;

/** How an `up` ended. */
export interface UpOutcome {
  readonly ok: boolean;
  /** The step that failed, with its output's last line, when one did. */
  readonly failure?: string;
  /** The failed step's whole output (a gate's refusal, one line per reason). */
  readonly failureOutput?: string;
  readonly stepsTaken: number;
  /** The steps that succeeded, in order: `<operation> <resource name>` (`create etcd-dev-member-1-instance`). */
  readonly steps: readonly string[];
}

function tag(resource: RecordedResource, key: string): string | undefined {
  const tags = resource.state["tags"] ?? resource.inputs["tags"];
  const value = isRecordedObject(tags) ? tags[key] : undefined;
  return typeof value === "string" ? value : undefined;
}

/** The backup bucket the dev stack declares with `config` (stack output `backupBucket`): where a restore's snapshot lives. */
export async function backupBucketOf(config: Readonly<Record<string, unknown>>): Promise<string> {
  const run = await runProgram({ stack: DRILL_STACK, preview: false, configOverrides: { etcdVersion: LOCAL_ETCD_VERSION, ...config } });
  return recordedText(run.outputs["backupBucket"]);
}

export class SequenceDrill {
  readonly cluster: LocalCluster;
  readonly invariants: Invariants;
  /** The stub S3 the members' scripts use (dev/member-host/aws-cli-stub.sh): object s3://b/k is <s3Root>/b/k. */
  readonly s3Root: string;
  private readonly deployer: Deployer;
  private readonly memberBin: string;
  private deployed = new Map<string, RecordedResource>();
  private readonly boots = new Map<string, MemberBoot>();
  private readonly instanceStates = new Map<string, string>();
  private readonly blankOnBoot = new Map<string, Set<"data" | "wal">>();
  /** Volumes lost and so created again, by `<type>/<logical name>`: AWS gives each new volume a new ID. */
  private readonly recreated = new Map<string, number>();
  /** While this file exists, every member's etcdctl answers `member promote` with etcd's refusal (a fault; boot-overrides.sh). */
  private readonly refusePromotionFile: string;
  private lastListed: readonly ListedMember[] | undefined;
  private readonly operator: OperatorCredentials;
  private ups = 0;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly tls: TlsEmulator,
    admin: ClusterBlueprint["admin"],
  ) {
    this.cluster = LocalCluster.create({ members: [], admin }, label);
    const dir = mkdtempSync(join(tmpdir(), `${runScopedName(`${label}-drill`)}-`));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    this.deployer = new Deployer(dir);
    this.s3Root = join(dir, "s3");
    this.memberBin = join(dir, "member-bin");
    this.refusePromotionFile = join(this.cluster.workDir, PROMOTION_REFUSAL_FILE);
    mkdirSync(this.s3Root);
    mkdirSync(this.memberBin);
    copyFileSync(repoPath("dev/member-host/aws-cli-stub.sh"), join(this.memberBin, "aws"));
    chmodSync(join(this.memberBin, "aws"), 0o755);
    this.operator = new OperatorCredentials(this.cluster);
    this.invariants = new Invariants(this.cluster, this.operator.ask, (line) => this.print(line));
  }

  /** Renders the dev stack with `config` (over the stack file) as `pulumi up` would run the program now. */
  async render(config: Readonly<Record<string, unknown>>): Promise<ProgramRun> {
    const existing = this.deployedRun();
    return runProgram({
      stack: DRILL_STACK,
      preview: false,
      configOverrides: { etcdVersion: LOCAL_ETCD_VERSION, ...config },
      tls: this.tls,
      memberAddress: loopbackMemberAddress,
      // What DescribeInstances shows: every deployed instance in the state the story left it in
      // (a stopped one stays listed as stopped; one deleted by an interrupted rollout is gone).
      existingInstances: instancesCreatedBy(existing).map((instance) => ({ ...instance, state: this.instanceState(instance.id) })),
      recreatedResources: this.recreated,
    });
  }

  /**
   * Creates a drill whose first render is `config`, and deploys it with a first `up`. `s3Objects`
   * (URI to local file) are in the stub S3 before it, e.g. the snapshot a restore starts from.
   */
  static async deploy(
    label: string,
    tls: TlsEmulator,
    config: Readonly<Record<string, unknown>>,
    s3Objects: Readonly<Record<string, string>> = {},
  ): Promise<SequenceDrill> {
    const first = await runProgram({
      stack: DRILL_STACK,
      preview: false,
      configOverrides: { etcdVersion: LOCAL_ETCD_VERSION, ...config },
      tls,
      memberAddress: loopbackMemberAddress,
    });
    const drill = new SequenceDrill(label, tls, blueprintOf(first).admin);
    for (const [uri, file] of Object.entries(s3Objects)) {
      const object = join(drill.s3Root, uri.replace(/^s3:\/\//, ""));
      mkdirSync(dirname(object), { recursive: true });
      copyFileSync(file, object);
    }
    const outcome = await drill.apply(first, "first up: the stack is created");
    if (!outcome.ok) throw new Error(`the first up failed: ${outcome.failure}`);
    await drill.invariants.establish(await drill.view());
    return drill;
  }

  print(line: string): void {
    console.log(`[${this.label} +${((Date.now() - this.started) / 1000).toFixed(1)}s] ${line}`);
  }

  /** What is deployed, as one program run (the state Pulumi keeps). */
  deployedRun(): ProgramRun {
    return { stack: DRILL_STACK, preview: false, resources: [...this.deployed.values()], outputs: {}, diagnostics: [], invokes: [] };
  }

  /** Renders `config` and applies the update; stops at the first failed step, or after the step `stopAfter` picks (an interruption). */
  async up(config: Readonly<Record<string, unknown>>, what: string, stopAfter?: (step: UpdateStep) => boolean): Promise<UpOutcome> {
    return this.apply(await this.render(config), what, stopAfter);
  }

  /**
   * `pulumi destroy`: every deployed resource deleted, dependents first (the same steps as an `up`
   * to a program that declares nothing). The invariants do not apply: the cluster is meant to go.
   */
  async destroyStack(): Promise<UpOutcome> {
    const nothing: ProgramRun = { ...this.deployedRun(), resources: [] };
    return this.apply(nothing, "pulumi destroy", undefined, false);
  }

  /** What is still deployed: resource names. */
  deployedNames(): string[] {
    return [...this.deployed.values()].map((resource) => resource.name);
  }

  private async apply(next: ProgramRun, what: string, stopAfter?: (step: UpdateStep) => boolean, holdInvariants = true): Promise<UpOutcome> {
    const up = ++this.ups;
    const steps = updateSteps(this.deployedRun(), next);
    // A destroy declares nothing: no member is rendered, no credential changes.
    const blueprint: ClusterBlueprint = next.resources.length === 0 ? { members: [], admin: { caPem: "", certPem: "", keyPem: "" } } : blueprintOf(next);
    if (next.resources.length > 0) this.operator.remember(blueprint.admin);
    this.print(`up #${up} (${what}): ${steps.length} steps`);
    const taken: string[] = [];
    for (const [index, step] of steps.entries()) {
      const label = `up #${up} step ${index + 1}/${steps.length}: ${step.operation} ${step.resource.name} (${step.reason})`;
      const result = await this.take(step, blueprint);
      if (!result.ok) {
        this.recordFailure(step);
        const tail = result.output.trim().split("\n").slice(-FAILURE_LINES);
        this.print(`${label}: FAILED\n${tail.map((line) => `    ${line}`).join("\n")}`);
        this.printUnfinishedBoots();
        if (holdInvariants) await this.invariants.check(await this.view(), label);
        return {
          ok: false,
          failure: `${step.resource.name}: ${result.output.trim().split("\n").at(-1) ?? ""}`,
          failureOutput: result.output,
          stepsTaken: index,
          steps: taken,
        };
      }
      this.record(step);
      taken.push(`${step.operation} ${step.resource.name}`);
      this.print(`${label}${result.output === "" ? "" : `: ${result.output}`}`);
      // A step that touches no member (a bucket setting, a role, a parameter) leaves etcd as it was.
      if (result.touchesMembers && holdInvariants) await this.invariants.check(await this.view(), label);
      if (stopAfter?.(step)) {
        this.print(`up #${up} interrupted after step ${index + 1} (the operator stops it)`);
        return { ok: false, failure: "interrupted", stepsTaken: index + 1, steps: taken };
      }
    }
    this.print(`up #${up} completed`);
    return { ok: true, stepsTaken: steps.length, steps: taken };
  }

  /**
   * A failed update leaves the resource's previous inputs in the state, so the next `up` runs it
   * again (a gate re-checks). On AWS its inputs differ anyway (the replaced instance's new ID); the
   * mocks' IDs are deterministic, so the state marks it.
   */
  private recordFailure(step: UpdateStep): void {
    if (step.operation !== "update" || step.previous === undefined) return;
    this.deployed.set(step.resource.urn, { ...step.previous, inputs: { ...step.previous.inputs, [LAST_UPDATE_FAILED]: true } });
  }

  private record(step: UpdateStep): void {
    if (step.operation === "delete") {
      // The old resource of a create-before-replace goes after its replacement took its URN: that one stays.
      if (this.deployed.get(step.resource.urn) === step.resource) this.deployed.delete(step.resource.urn);
      return;
    }
    this.deployed.set(step.resource.urn, step.resource);
  }

  /** What a step does to the members; `output` is printed after the step. */
  private async take(step: UpdateStep, blueprint: ClusterBlueprint): Promise<{ ok: boolean; output: string; touchesMembers: boolean }> {
    const { resource, operation } = step;
    if (resource.type === COMMAND) {
      const run = await this.deployer.run(resource, operation, this.drillInstances(), this.drillParameters());
      return { ok: run.ok, output: run.ok ? run.lastLine : run.output, touchesMembers: true };
    }
    const memberName = tag(resource, TAG_KEYS.member);
    if (memberName === undefined) return { ok: true, output: "", touchesMembers: false };
    if (resource.type === VOLUME && operation === "create") {
      const role = tag(resource, TAG_KEYS.volumeRole) as "data" | "wal";
      this.blankOnBoot.set(memberName, new Set([...(this.blankOnBoot.get(memberName) ?? []), role]));
      return { ok: true, output: `a blank ${role} volume for ${memberName}`, touchesMembers: false };
    }
    if (resource.type !== INSTANCE) return { ok: true, output: "", touchesMembers: false };
    const id = String(resource.id);
    if (operation === "delete") {
      await this.terminate(memberName);
      this.instanceStates.set(id, "terminated");
      return { ok: true, output: `${memberName} stopped (instance terminated)`, touchesMembers: true };
    }
    if (operation === "update") {
      const member = this.memberNamed(memberName);
      await member?.stop("SIGTERM");
      member?.start();
      return { ok: true, output: `${memberName} restarted (stop and start; cloud-init does not run again)`, touchesMembers: true };
    }
    const rendered = blueprint.members.find((member) => member.name === memberName);
    if (rendered === undefined) throw new Error(`the program renders no member ${memberName}`);
    this.instanceStates.set(id, "running");
    this.invariants.faultHolds(memberName, false);
    this.boot(rendered);
    return { ok: true, output: `${memberName}'s new instance boots`, touchesMembers: true };
  }

  private memberNamed(name: string): EtcdMember | undefined {
    return this.cluster.members.find((member) => member.name === name);
  }

  /**
   * A fault: etcd refuses every promotion, as it refuses a learner that has not caught up with the
   * leader, until acceptPromotions(). Every member's etcdctl (boot-overrides.sh) answers `member
   * promote` with etcd's refusal, whoever asks: a boot, a health gate, a pre-disruption check.
   */
  refusePromotions(): void {
    writeFileSync(this.refusePromotionFile, "");
    this.print("fault: etcd refuses every promotion (a learner that does not catch up with the leader)");
  }

  /** The promotion fault ends: etcd promotes a learner in sync again. */
  acceptPromotions(): void {
    rmSync(this.refusePromotionFile, { force: true });
    this.print("the learner caught up: etcd accepts promotions again");
  }

  /** A new instance of the member: its volumes as they are (blank when recreated), its new rendering, its boot. */
  private boot(rendered: MemberBlueprint): void {
    let member = this.memberNamed(rendered.name);
    if (member === undefined) member = this.cluster.addMember(rendered);
    else member.applyRendering(rendered);
    for (const role of this.blankOnBoot.get(rendered.name) ?? []) {
      rmSync(mapHostPath(member.root, DEFAULT_VOLUME_MOUNT_POINTS[role]), { recursive: true, force: true });
    }
    this.blankOnBoot.delete(rendered.name);
    this.boots.set(rendered.name, MemberBoot.start(member, rendered, { PATH: this.memberBin, AWS_STUB_S3_ROOT: this.s3Root }));
  }

  private async terminate(memberName: string): Promise<void> {
    this.boots.get(memberName)?.kill();
    this.boots.delete(memberName);
    await this.memberNamed(memberName)?.stop("SIGTERM");
  }

  /** The last lines of every boot that has not completed: where a failed gate's reason is. */
  private printUnfinishedBoots(): void {
    for (const [name, boot] of this.boots) {
      if (boot.outcome?.ok === true) continue;
      const state = boot.outcome === undefined ? "still running" : boot.outcome.bounded ? "killed by the drill's bound" : "FAILED";
      const tail = boot.output
        .trim()
        .split("\n")
        .slice(-FAILURE_LINES)
        .map((line) => `      ${line}`)
        .join("\n");
      this.print(`    boot of ${name}: ${state}\n${tail}`);
    }
  }

  /** The boot log of a member's latest boot, once it ended. */
  async bootOutcome(memberName: string): Promise<string> {
    const boot = this.boots.get(memberName);
    if (boot === undefined) return "(no boot)";
    const outcome = await boot.finished;
    return `${outcome.ok ? "completed" : outcome.bounded ? "killed by the drill's bound" : "FAILED"}\n${outcome.output}`;
  }

  /** The deployed plain-text SSM parameters (the member list) as the deployer's AWS CLI reads them. */
  private drillParameters(): Record<string, string> {
    const parameters = [...this.deployed.values()].filter((resource) => resource.type === "aws:ssm/parameter:Parameter");
    return Object.fromEntries(
      parameters.flatMap((parameter) => {
        const value = parameter.inputs["insecureValue"];
        return typeof value === "string" ? [[recordedText(parameter.inputs["name"]), value]] : [];
      }),
    );
  }

  /** EC2's state name of a deployed instance: what the story left it in (`terminated` once deleted). */
  private instanceState(id: string): string {
    return this.instanceStates.get(id) ?? "terminated";
  }

  /** The instances as the deployer's AWS CLI sees them. */
  private drillInstances(): DrillInstance[] {
    return [...this.deployed.values()]
      .filter((resource) => resource.type === INSTANCE)
      .map((resource) => {
        const name = tag(resource, TAG_KEYS.member) ?? "";
        const member = this.memberNamed(name);
        const tags = resource.state["tags"];
        return {
          id: String(resource.id),
          state: this.instanceState(String(resource.id)),
          tags: isRecordedObject(tags) ? Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, recordedText(value)])) : {},
          namespace: member?.namespace ?? "",
          root: member?.root ?? "",
        };
      });
  }

  /** etcd's own account of the cluster now. */
  async view(): Promise<ClusterView> {
    const view = await viewCluster(this.cluster, this.operator.ask, this.lastListed);
    if (view.listed !== undefined) this.lastListed = view.listed;
    return view;
  }

  /** Prints the cluster as etcd reports it. */
  async describe(): Promise<string> {
    return describeView(await this.view(), (peerUrl) => this.cluster.members.find((member) => member.peerUrl === peerUrl)?.name ?? peerUrl);
  }

  /**
   * The operator runs `command` on the member's running instance, as root, through `aws ssm
   * send-command` (operator-on-host.ts); what it printed last is shown, and the cluster is held to
   * the invariants afterwards as after any step that touches a member.
   */
  async onHost(memberName: string, command: string, what: string): Promise<CommandRun> {
    const instances = this.drillInstances();
    const instance = instances.find((candidate) => candidate.tags[TAG_KEYS.member] === memberName && candidate.state === "running");
    const member = this.memberNamed(memberName);
    if (instance === undefined || member === undefined) throw new Error(`${memberName} has no running instance to run a command on`);
    const label = `operator on ${memberName}'s instance (${what})`;
    this.print(`${label}: ${command}`);
    const run = await runOnHost(this.deployer, member, instance, command, { instances, parameters: this.drillParameters() });
    const tail = run.output.trim().split("\n").slice(-FAILURE_LINES);
    this.print(`${label}: ${run.ok ? "succeeded" : "FAILED"}\n${tail.map((line) => `    ${line}`).join("\n")}`);
    await this.invariants.check(await this.view(), label);
    return run;
  }

  /** What the member's boots left on its current instance: the units they enabled and whether one wrote the completion marker. */
  hostState(memberName: string): { readonly enabledUnits: readonly string[]; readonly bootCompleted: boolean } {
    const member = this.memberNamed(memberName);
    if (member === undefined) return { enabledUnits: [], bootCompleted: false };
    return { enabledUnits: enabledUnits(member), bootCompleted: existsSync(mapHostPath(member.root, BOOT_COMPLETE_MARKER)) };
  }

  /** A fault outside Pulumi: the member's instance stops (power loss, AZ outage): etcd killed, SSM unreachable. */
  async stopInstance(memberName: string): Promise<void> {
    this.boots.get(memberName)?.kill();
    await this.memberNamed(memberName)?.stop("SIGKILL");
    const instance = [...this.deployed.values()].find((resource) => resource.type === INSTANCE && tag(resource, TAG_KEYS.member) === memberName);
    if (instance !== undefined) this.instanceStates.set(String(instance.id), "stopped");
    this.invariants.faultHolds(memberName, true);
    this.print(`fault: ${memberName}'s instance stops`);
  }

  /** A fault outside Pulumi: the member's etcd stops (a crash) while its instance runs on: SSM answers, EC2 reports it running. */
  async stopEtcd(memberName: string): Promise<void> {
    await this.memberNamed(memberName)?.stop("SIGKILL");
    this.invariants.faultHolds(memberName, true);
    this.print(`fault: ${memberName}'s etcd stops; its instance runs on`);
  }

  /** The member's stopped instance starts again: systemd starts etcd (cloud-init does not run again). */
  startInstance(memberName: string): void {
    const instance = [...this.deployed.values()].find((resource) => resource.type === INSTANCE && tag(resource, TAG_KEYS.member) === memberName);
    if (instance !== undefined) this.instanceStates.set(String(instance.id), "running");
    this.memberNamed(memberName)?.start();
    this.invariants.faultHolds(memberName, false);
    this.print(`${memberName}'s instance starts again`);
  }

  /**
   * A fault outside Pulumi: a volume of the member is gone (deleted by hand, lost); the state
   * forgets it, as `pulumi refresh` would, so the next `up` creates a blank one, with a new ID (the
   * mocks' IDs are otherwise the same for the same name: an `up` stopped before the instance would
   * leave its old user data looking current).
   */
  loseVolume(memberName: string, role: "data" | "wal"): void {
    for (const resource of [...this.deployed.values()]) {
      if (resource.type === VOLUME && tag(resource, TAG_KEYS.member) === memberName && tag(resource, TAG_KEYS.volumeRole) === role) {
        this.deployed.delete(resource.urn);
        const key = `${VOLUME}/${resource.name}`;
        this.recreated.set(key, (this.recreated.get(key) ?? 0) + 1);
      }
    }
    this.print(`fault: ${memberName}'s ${role} volume is lost (the state forgets it)`);
  }

  /** Stops the load and checks the end state: every member a voter, one cluster, every acknowledged write there. */
  async finish(load: AcknowledgedWrites, prefix: string): Promise<void> {
    await this.invariants.finish(
      () => this.view(),
      load,
      prefix,
      [...this.deployed.values()].filter((resource) => resource.type === INSTANCE).map((resource) => tag(resource, TAG_KEYS.member) ?? ""),
    );
  }

  async destroy(): Promise<void> {
    for (const boot of this.boots.values()) boot.kill();
    await this.cluster.destroy();
  }
}
