import type { ConfigProblem } from "./types";

/** The stack config has problems; thrown before any resource is declared, with every problem found. */
export class ClusterConfigError extends Error {
  /** Every problem, in the order found: schema problems first, then cross-key rules. */
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super([`The stack config has ${count}:`, ...problems.map((problem) => `  - ${problem.message}`)].join("\n"));
    this.name = "ClusterConfigError";
    this.problems = problems;
  }
}
