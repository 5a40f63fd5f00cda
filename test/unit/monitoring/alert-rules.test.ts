/**
 * The shipped Prometheus rules (monitoring/etcd-alerts.yml) as Prometheus itself judges them:
 * `promtool check rules` and the rule unit tests in monitoring/tests (`promtool test rules`).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { toolAvailable } from "../../support/linters";

const MONITORING_DIR = join(__dirname, "../../../monitoring");
const RULES_FILE = join(MONITORING_DIR, "etcd-alerts.yml");
const TESTS_DIR = join(MONITORING_DIR, "tests");
const TEST_FILES = readdirSync(TESTS_DIR)
  .filter((name) => name.endsWith(".test.yml"))
  .map((name) => join(TESTS_DIR, name));

function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync("promtool", args, { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface RuleTestFile {
  readonly tests: readonly { readonly alert_rule_test?: readonly { readonly alertname: string; readonly exp_alerts: readonly unknown[] }[] }[];
}

function alertNames(): Set<string> {
  const rules = parse(readFileSync(RULES_FILE, "utf8")) as { groups: { rules: { alert: string }[] }[] };
  return new Set(rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert)));
}

describe("Prometheus alert rules", () => {
  it("pass promtool check rules", (t) => {
    if (!toolAvailable(t, "promtool")) return;
    const { status, output } = promtool("check", "rules", RULES_FILE);
    assert.equal(status, 0, output);
  });

  for (const file of TEST_FILES) {
    it(`pass their unit tests in ${file.slice(MONITORING_DIR.length + 1)}`, (t) => {
      if (!toolAvailable(t, "promtool")) return;
      const { status, output } = promtool("test", "rules", file);
      assert.equal(status, 0, output);
    });
  }

  it("each alert has a unit test in which it fires", () => {
    const firing = new Set(
      TEST_FILES.flatMap((file) =>
        (parse(readFileSync(file, "utf8")) as RuleTestFile).tests.flatMap((test) =>
          (test.alert_rule_test ?? []).filter((check) => check.exp_alerts.length > 0).map((check) => check.alertname),
        ),
      ),
    );
    assert.deepEqual(
      [...alertNames()].filter((name) => !firing.has(name)),
      [],
    );
  });

  it("cover every alert of etcd's monitoring mixin", () => {
    // etcd-io/etcd contrib/mixin/alerts/alerts.libsonnet (etcd's names with the `etcd` prefix capitalised).
    const mixin = [
      "MembersDown",
      "InsufficientMembers",
      "NoLeader",
      "HighNumberOfLeaderChanges",
      "HighNumberOfFailedGRPCRequests",
      "GRPCRequestsSlow",
      "MemberCommunicationSlow",
      "HighNumberOfFailedProposals",
      "HighFsyncDurations",
      "HighCommitDurations",
      "DatabaseQuotaLowSpace",
      "ExcessiveDatabaseGrowth",
      "DatabaseHighFragmentationRatio",
    ].map((name) => `Etcd${name}`);
    const names = alertNames();
    assert.deepEqual(
      mixin.filter((name) => !names.has(name)),
      [],
    );
  });
});
