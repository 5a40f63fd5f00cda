/**
 * The committed deployer policy of each stack, stacks/<stack>.deployer-policy.json: the stack's
 * `deployerPolicy` output, written where a user finds it before the first `pulumi up`
 * (`npm run deployer-policy -- --write` regenerates every stack's file).
 */
import * as path from "node:path";
import { stackDeployerPolicy } from "../../src/core/aws/deployer-policy";
import { resolveClusterConfig } from "../../src/core/config/resolve";
import { PROJECT_DIR } from "./project-file";
import { readStackConfig, readStackFileConfig } from "./stack-files";

/** Where the stack's deployer policy is committed. */
export function deployerPolicyPath(stack: string): string {
  return path.join(PROJECT_DIR, "stacks", `${stack}.deployer-policy.json`);
}

/** The file's content: the policy for the stack's config and region, as indented JSON. */
export function deployerPolicyFileText(stack: string): string {
  const config = resolveClusterConfig(readStackConfig(stack), stack).config;
  const region = String(readStackFileConfig(stack)["aws:region"]);
  return `${JSON.stringify(stackDeployerPolicy(config, region), null, 2)}\n`;
}
