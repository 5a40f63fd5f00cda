import type { ConfigProblem } from "./types";

/** What a cross-field rule found: errors stop the deployment, warnings are reported and allowed. */
export interface RuleFindings {
  /** Problems that stop the deployment (thrown in ClusterConfigError). */
  readonly errors: readonly ConfigProblem[];
  /** Problems reported and allowed (ResolvedClusterConfig.warnings). */
  readonly warnings: readonly ConfigProblem[];
}

export const NO_FINDINGS: RuleFindings = { errors: [], warnings: [] };

export function errorFinding(problem: ConfigProblem): RuleFindings {
  return { errors: [problem], warnings: [] };
}

export function warningFinding(problem: ConfigProblem): RuleFindings {
  return { errors: [], warnings: [problem] };
}

export function mergeFindings(findings: readonly RuleFindings[]): RuleFindings {
  return {
    errors: findings.flatMap((finding) => finding.errors),
    warnings: findings.flatMap((finding) => finding.warnings),
  };
}
