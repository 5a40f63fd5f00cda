/**
 * Turns zod's issues into config problems. Rules written for this project carry their own reason
 * and fix; zod's built-in checks (types, ranges, enums, unknown keys) get theirs from
 * describeBuiltInIssue, passed to every parse as its error map.
 */
import { z } from "zod";
import { configProblem } from "./keys";
import type { ConfigProblem } from "./types";

const EXPECTED_TYPE_FIXES: Readonly<Record<string, string>> = {
  number: "expected a number; write it without quotes",
  int: "expected a whole number; write it without quotes or decimals",
  boolean: "expected true or false; write it without quotes",
  string: "expected text; quote it",
  array: "expected a list; write it as a YAML list",
  object: "expected a map of settings; write it as a nested YAML map",
  record: "expected a map of names to text; write it as a nested YAML map",
};

function plural(count: number | bigint, noun: string): string {
  return `${count} ${Number(count) === 1 ? noun : `${noun}s`}`;
}

/** Reason and fix for a failed built-in check; undefined keeps zod's own message. */
export function describeBuiltInIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) {
        return "required; set it in the stack's config file (stacks/Pulumi.<stack>.yaml) or with `pulumi config set`";
      }
      return EXPECTED_TYPE_FIXES[issue.expected] ?? `expected ${issue.expected}`;
    case "too_small":
      if (issue.origin === "array") return `needs at least ${plural(issue.minimum, "entry")}; add the missing ones`;
      if (issue.origin === "string") return `needs at least ${plural(issue.minimum, "character")}`;
      return issue.inclusive === false ? `must be above ${issue.minimum}; raise it` : `must be at least ${issue.minimum}; raise it to ${issue.minimum} or more`;
    case "too_big":
      if (issue.origin === "array") return `takes at most ${plural(issue.maximum, "entry")}; remove the extra ones`;
      return `must be at most ${issue.maximum}; lower it to ${issue.maximum} or less`;
    case "invalid_value":
      return `must be one of ${issue.values.map((value) => String(value)).join(", ")}; pick one of them`;
    case "unrecognized_keys": {
      const known = issue.inst instanceof z.ZodObject ? Object.keys(issue.inst.shape) : [];
      return `not a known key; remove it or correct its spelling (keys here: ${known.join(", ")})`;
    }
    default:
      return undefined;
  }
}

function valueOfKey(container: unknown, key: string): unknown {
  return typeof container === "object" && container !== null ? (container as Record<string, unknown>)[key] : undefined;
}

/** One problem per issue, except an unknown-keys issue: one problem per unknown key. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => configProblem([...issue.path, key], valueOfKey(issue.input, key), issue.message))
      : [configProblem(issue.path, issue.input, issue.message)],
  );
}
