/**
 * `npm run test-cluster -- create <name> [--expires-in 24h] [--org <org>]`,
 * `npm run test-cluster -- destroy <name> [--org <org>]`, `npm run test-cluster -- sweep [--org <org>]`.
 * Throw-away clusters made from the dev stack (commands.ts); needs the Pulumi CLI and AWS credentials.
 */
import { STACKS_DIR } from "../mock-runtime/stack-files";
import { awsCliSnapshotStore } from "./cluster-snapshots";
import { createTestCluster, destroyTestCluster, sweepTestClusters, type CommandContext } from "./commands";
import { testStackName } from "./naming";
import { pulumiStacks, type TestClusterStacks } from "./pulumi-stacks";

const USAGE = [
  "usage: npm run test-cluster -- create <name> [--expires-in <90m|24h|2d>] [--org <pulumi-org>]",
  "       npm run test-cluster -- destroy <name> [--org <pulumi-org>]",
  "       npm run test-cluster -- sweep [--org <pulumi-org>]",
].join("\n");

interface Args {
  readonly command: string | undefined;
  readonly name: string | undefined;
  readonly options: ReadonlyMap<string, string>;
}

function parseArgs(args: readonly string[]): Args {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const value = args[++i];
    if (!["--expires-in", "--org"].includes(arg) || value === undefined) throw new Error(`${arg}: unknown option or missing value\n${USAGE}`);
    options.set(arg, value);
  }
  const [command, name, ...extra] = positional;
  const wantsName = command === "create" || command === "destroy";
  if (!["create", "destroy", "sweep"].includes(command ?? "") || wantsName !== (name !== undefined) || extra.length > 0) throw new Error(USAGE);
  if (command !== "create" && options.has("--expires-in")) throw new Error(`--expires-in belongs to create\n${USAGE}`);
  return { command, name, options };
}

async function main(argv: readonly string[]): Promise<void> {
  const { command, name, options } = parseArgs(argv);
  let stacks: Promise<TestClusterStacks> | undefined;
  const context: CommandContext = {
    stacks: () => (stacks ??= pulumiStacks(options.get("--org"))),
    snapshots: awsCliSnapshotStore,
    now: () => new Date(),
    log: (line) => console.log(line),
    stacksDir: STACKS_DIR,
  };
  if (command === "create") await createTestCluster(context, name!, options.get("--expires-in") ?? "24h");
  else if (command === "destroy") await destroyTestCluster(context, testStackName(name!));
  else {
    const failures = await sweepTestClusters(context);
    if (failures.length > 0) throw new Error(`sweep: ${failures.length} stack(s) not destroyed:\n${failures.join("\n")}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
