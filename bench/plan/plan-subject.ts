/**
 * One whole-process plan run, timed from outside by plan-speed.ts:
 *
 *   plan-subject.ts program <members>   index.ts for the dev stack with `members`, as `npm run plan` evaluates it
 *   plan-subject.ts baseline <count>    baseline-program.ts registering <count> plain resources
 *   plan-subject.ts providers <count>   the same after loading the provider modules index.ts uses:
 *                                       what the program pays for them before its own work
 *
 * Both run under the same offline mocks (fake AWS account, placeholder TLS) in `pulumi up` mode and
 * print `resources <n>`: every registration but the stack's.
 */
import * as path from "node:path";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { runProgramFile } from "../../dev/mock-runtime/run-program-file";
import { runProgram } from "../../dev/mock-runtime/run-stack";

/**
 * Loads the provider SDK modules the program uses (@pulumi/aws loads each service module on first
 * access, so each one the components touch is touched here too).
 */
async function loadProviderModules(): Promise<void> {
  const aws: Record<string, unknown> = await import("@pulumi/aws");
  for (const service of ["ec2", "iam", "s3", "ssm", "ebs", "vpc", "dlm", "config"]) void aws[service];
  await import("@pulumi/tls");
  await import("@pulumi/command");
}

/** The stack whose file configures the real program; `members` is overridden. */
export const PLAN_STACK = "dev";

function baselineRun(count: number): Promise<ProgramRun> {
  return runProgramFile({
    programPath: path.join(__dirname, "baseline-program.ts"),
    project: "bench",
    stack: PLAN_STACK,
    config: { "bench:resources": String(count) },
    network: { region: "us-east-1", subnetIds: [], vpcId: "vpc-0" },
  });
}

async function main([kind, countText]: readonly string[]): Promise<void> {
  const count = Number(countText);
  if (!Number.isInteger(count) || count < 1 || !["program", "baseline", "providers"].includes(kind ?? "")) {
    throw new Error("usage: plan-subject.ts program <members> | baseline <resources> | providers <resources>");
  }
  if (kind === "providers") await loadProviderModules();
  const run = kind === "program" ? await runProgram({ stack: PLAN_STACK, preview: false, configOverrides: { members: count } }) : await baselineRun(count);
  const registered = run.resources.filter((resource) => resource.type !== "pulumi:pulumi:Stack").length;
  process.stdout.write(`resources ${registered}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`plan-subject: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
