/**
 * `npm run deployer-policy -- [<stack>] [--write]`: prints the IAM policy the deployer needs for a
 * stack's cluster (`pulumi up`/`destroy`, health gates, member removals); `--write` stores every
 * stack's as stacks/<stack>.deployer-policy.json, which the tests compare against.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { deployerPolicyFileText, deployerPolicyPath } from "../dev/mock-runtime/deployer-policy-file";
import { stackNames } from "../dev/mock-runtime/stack-files";

const USAGE = "usage: npm run deployer-policy -- [<stack>] [--write]";

function main(args: readonly string[]): void {
  const write = args.includes("--write");
  const stacks = args.filter((arg) => arg !== "--write");
  if (stacks.some((arg) => arg.startsWith("--")) || stacks.length > 1) throw new Error(USAGE);
  for (const stack of stacks.length === 0 ? stackNames() : stacks) {
    if (!stackNames().includes(stack)) throw new Error(`no stack file stacks/Pulumi.${stack}.yaml; stacks: ${stackNames().join(", ")}`);
    if (write) {
      writeFileSync(deployerPolicyPath(stack), deployerPolicyFileText(stack));
      console.log(`wrote ${path.relative(process.cwd(), deployerPolicyPath(stack))}`);
    } else {
      process.stdout.write(deployerPolicyFileText(stack));
    }
  }
}

try {
  main(process.argv.slice(2));
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
