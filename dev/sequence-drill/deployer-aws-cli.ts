/**
 * The AWS CLI as the deployer's scripts (health gates, member removals) see it during a sequence
 * drill: EC2's instance lookup answers from the drill's instances, SSM's parameter read from the
 * drill's deployed plain-text parameters (the member list), and SSM Run Command runs the
 * sent commands on the instance's member, as root, in its network namespace, with host paths
 * mapped under its root (host-path-text.ts). It knows exactly the calls the rendered deployer
 * scripts make and fails loudly on any other, so a new call cannot pass unnoticed.
 *
 * Usage (through the `aws` shim the drill puts first on PATH): aws <service> <operation> [options];
 * SEQ_DRILL_AWS_STATE names the JSON file of DeployerAwsState.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mapMemberHostPaths } from "./host-path-text";

/** One instance of the drill's fake account. */
export interface DrillInstance {
  readonly id: string;
  /** `running`, `stopped` or `terminated`. */
  readonly state: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The member's network namespace and temp root. */
  readonly namespace: string;
  readonly root: string;
}

/** What the stub reads: the instances, and where command results go. */
export interface DeployerAwsState {
  readonly instances: readonly DrillInstance[];
  /** Deployed String and StringList parameters by name (their `insecureValue`). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly commandsDir: string;
}

/** Bound of one command on an instance (AWS-RunShellScript's own default is an hour). */
const COMMAND_TIMEOUT_MS = 120_000;

function fail(message: string, status: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(status);
}

/** `--name value` options of a call; a bare word is an error (the scripts pass none). */
function options(args: readonly string[]): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  let current: string | undefined;
  for (const arg of args) {
    if (arg.startsWith("--")) {
      current = arg.slice(2);
      parsed.set(current, []);
    } else if (current !== undefined) parsed.get(current)!.push(arg);
    else fail(`aws-stub: unexpected argument ${arg}`, 2);
  }
  return parsed;
}

function one(parsed: Map<string, string[]>, name: string): string {
  const value = parsed.get(name)?.[0];
  if (value === undefined) fail(`aws-stub: --${name} is required`, 2);
  return value;
}

function expectQuery(parsed: Map<string, string[]>, query: string): void {
  if (parsed.get("query")?.[0] !== query || parsed.get("output")?.[0] !== "text") {
    fail(`aws-stub: unsupported --query/--output ${parsed.get("query")?.[0]} ${parsed.get("output")?.[0]}`, 2);
  }
}

/** `Name=tag:K,Values=V` and `Name=instance-state-name,Values=S` filters. */
function matches(instance: DrillInstance, filters: readonly string[]): boolean {
  return filters.every((filter) => {
    const match = /^Name=([^,]+),Values=(.*)$/.exec(filter) ?? fail(`aws-stub: unsupported filter ${filter}`, 2);
    const [, name, values] = match;
    const wanted = values.split(",");
    if (name === "instance-state-name") return wanted.includes(instance.state);
    if (name.startsWith("tag:")) return wanted.includes(instance.tags[name.slice(4)] ?? "");
    return fail(`aws-stub: unsupported filter ${filter}`, 2);
  });
}

function resultFile(state: DeployerAwsState, commandId: string): string {
  return join(state.commandsDir, `${commandId}.json`);
}

interface CommandResult {
  readonly instanceId: string;
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sendCommand(state: DeployerAwsState, parsed: Map<string, string[]>): void {
  expectQuery(parsed, "Command.CommandId");
  // --timeout-seconds bounds only the delivery to the agent; the stand-in delivers at once.
  if (one(parsed, "document-name") !== "AWS-RunShellScript") fail("aws-stub: only AWS-RunShellScript is supported", 2);
  const instanceId = one(parsed, "instance-ids");
  const instance = state.instances.find((candidate) => candidate.id === instanceId);
  if (instance === undefined || instance.state !== "running") {
    fail(`An error occurred (InvalidInstanceId) when calling the SendCommand operation: Instances [[${instanceId}]] not in a valid state for account`, 254);
  }
  const { commands } = JSON.parse(one(parsed, "parameters")) as { commands: string[] };
  const script = mapMemberHostPaths(commands.join("\n"), instance.root);
  const path = [join(instance.root, "usr/local/sbin"), join(instance.root, "usr/local/bin"), process.env["SEQ_SYSTEM_PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"].join(
    ":",
  );
  // SSM keeps both streams whatever the exit status (StandardOutputContent, StandardErrorContent).
  const run = spawnSync("ip", ["netns", "exec", instance.namespace, "sh", "-c", script], {
    encoding: "utf8",
    env: { PATH: path },
    timeout: COMMAND_TIMEOUT_MS,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const result: CommandResult = { instanceId, status: run.status ?? 1, stdout: run.stdout ?? "", stderr: run.stderr ?? "" };
  mkdirSync(state.commandsDir, { recursive: true });
  const commandId = `cmd-${Date.now().toString(16)}-${Math.random().toString(16).slice(2, 10)}`;
  writeFileSync(resultFile(state, commandId), JSON.stringify(result));
  process.stdout.write(`${commandId}\n`);
}

function storedResult(state: DeployerAwsState, parsed: Map<string, string[]>): CommandResult {
  const commandId = one(parsed, "command-id");
  const file = resultFile(state, commandId);
  if (!existsSync(file)) fail(`An error occurred (InvocationDoesNotExist) when calling the GetCommandInvocation operation: ${commandId}`, 254);
  const result = JSON.parse(readFileSync(file, "utf8")) as CommandResult;
  if (result.instanceId !== one(parsed, "instance-id")) fail(`aws-stub: command ${commandId} ran on ${result.instanceId}`, 254);
  return result;
}

function main(args: readonly string[]): void {
  const statePath = process.env["SEQ_DRILL_AWS_STATE"] ?? fail("aws-stub: SEQ_DRILL_AWS_STATE is not set", 2);
  const state = JSON.parse(readFileSync(statePath, "utf8")) as DeployerAwsState;
  const [service, operation, ...rest] = args;
  const parsed = operation === "wait" ? new Map<string, string[]>() : options(rest);
  switch (`${service} ${operation}`) {
    case "ssm send-command":
      return sendCommand(state, parsed);
    case "ssm wait": {
      if (rest[0] !== "command-executed") fail(`aws-stub: unsupported waiter ${rest[0]}`, 2);
      const result = storedResult(state, options(rest.slice(1)));
      if (result.status !== 0)
        fail('Waiter CommandExecuted failed: Waiter encountered a terminal failure state: For expression "Status" we matched expected path: "Failed"', 255);
      return;
    }
    case "ssm get-command-invocation": {
      const result = storedResult(state, parsed);
      if (parsed.get("query")?.[0] === "ResponseCode") {
        expectQuery(parsed, "ResponseCode");
        process.stdout.write(`${result.status}\n`);
        return;
      }
      expectQuery(parsed, "[StandardOutputContent,StandardErrorContent]");
      process.stdout.write(`${result.stdout}\t${result.stderr}\n`);
      return;
    }
    case "ssm get-parameter": {
      expectQuery(parsed, "Parameter.Value");
      const name = one(parsed, "name");
      const value = state.parameters[name];
      if (value === undefined) fail("An error occurred (ParameterNotFound) when calling the GetParameter operation: ", 254);
      process.stdout.write(`${value}\n`);
      return;
    }
    case "ec2 describe-instances": {
      const found = state.instances.filter((instance) => matches(instance, parsed.get("filters") ?? []));
      const rows = /^Reservations\[\]\.Instances\[\]\.\[InstanceId,State\.Name,Tags\[\?Key=='([^']+)'\]\|\[0\]\.Value\]$/.exec(parsed.get("query")?.[0] ?? "");
      if (rows !== null) {
        // One line per instance: ID, state, the tag's value (None without it), tab-separated as the CLI's text output.
        expectQuery(parsed, parsed.get("query")![0]);
        process.stdout.write(found.map((instance) => `${instance.id}\t${instance.state}\t${instance.tags[rows[1]] ?? "None"}\n`).join(""));
        return;
      }
      expectQuery(parsed, "Reservations[].Instances[].InstanceId");
      process.stdout.write(`${found.map((instance) => instance.id).join("\t")}\n`);
      return;
    }
    default:
      fail(`aws-stub: unsupported call: ${args.join(" ")}`, 2);
  }
}

main(process.argv.slice(2));
