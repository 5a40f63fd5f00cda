/**
 * Which `etcdVersion` changes a running cluster can take in one `pulumi up`, judged against the
 * releases its members run now. etcd supports patch upgrades and upgrades of one minor version at
 * a time, each member replaced in turn (etcd.io/docs/v3.6/upgrades/upgrading-etcd), and no
 * downgrade without its own procedure; the program replaces members one at a time, so a refused
 * change is refused before any resource changes.
 */
import semver from "semver";
import { SUPPORTED_ETCD_VERSIONS } from "../etcd/versions";
import { errorFinding, mergeFindings, NO_FINDINGS, warningFinding, type RuleFindings } from "./findings";
import { configProblem } from "./keys";

/** What the cluster's member instances say they run (their `etcd:version` tags, or their user data's header). */
export interface DeployedEtcdReleases {
  /** The release of every member instance that carries the tag, one entry per instance. */
  readonly versions: readonly string[];
  /** Instance IDs whose release neither a tag nor their user data names: unknown. */
  readonly unknownInstances: readonly string[];
}

/**
 * The lowest release of the previous minor line a member may run when the cluster moves into a
 * line: etcd's 3.5 → 3.6 upgrade guide asks for every member on 3.5.32 or later first (it brought
 * `etcdutl check v2store` for WAL records and `--v2-deprecation=write-only-skip-check`,
 * CHANGELOG-3.5 v3.5.32). The 3.6 → 3.7 guide asks for 3.6.11; add it with 3.7.
 */
export const MINIMUM_RELEASE_BEFORE: Readonly<Record<string, string>> = { "3.6": "3.5.32" };

const DOWNGRADE_GUIDE = "https://etcd.io/docs/v3.6/downgrades/downgrade_3_6/";

const lineOf = (version: string) => `${semver.major(version)}.${semver.minor(version)}`;

/** The newest pinned release of a line, or `<line>.x` for a line this project never pinned (3.4). */
function newestOf(line: string): string {
  return SUPPORTED_ETCD_VERSIONS.filter((version) => lineOf(version) === line).at(-1) ?? `${line}.x`;
}

/**
 * The supported steps from `from` up to `target` (same major version): one minor line at a time,
 * each through its newest release, and first to the newest release of `from`'s own line when the
 * next line asks for a higher minimum (MINIMUM_RELEASE_BEFORE).
 */
export function supportedUpgradePath(from: string, target: string): string[] {
  const steps = [from];
  let current = from;
  while (lineOf(current) !== lineOf(target)) {
    const next = `${semver.major(current)}.${semver.minor(current) + 1}`;
    const minimum = MINIMUM_RELEASE_BEFORE[next];
    if (minimum !== undefined && semver.lt(current, minimum)) steps.push(newestOf(lineOf(current)));
    if (next === lineOf(target)) break;
    steps.push((current = newestOf(next)));
  }
  return [...steps, target];
}

const pathText = (from: string, target: string) => `${supportedUpgradePath(from, target).join(" → ")}, one \`pulumi up\` each`;

function problem(target: string, reasonAndFix: string): RuleFindings {
  return errorFinding(configProblem(["etcdVersion"], target, reasonAndFix));
}

/**
 * Checks a change of `etcdVersion` to `target` against what the members run. With members on
 * several releases (a rollout that stopped halfway) the lowest decides how far the cluster may
 * move and the highest whether the change goes back.
 */
export function checkEtcdUpgrade(target: string, deployed: DeployedEtcdReleases): RuleFindings {
  const unknown =
    deployed.unknownInstances.length === 0
      ? NO_FINDINGS
      : warningFinding(
          configProblem(
            ["etcdVersion"],
            target,
            `neither an etcd:version tag nor the user data of instances ${deployed.unknownInstances.join(", ")} names the release ` +
              "they run, so the upgrade rules could not check them; check with `etcdctl endpoint status -w table` before this rollout continues",
          ),
        );
  if (deployed.versions.length === 0) return unknown;
  const sorted = [...deployed.versions].sort(semver.compare);
  const lowest = sorted[0];
  const highest = sorted[sorted.length - 1];
  return mergeFindings([unknown, rulesFrom(lowest, highest, target)]);
}

function rulesFrom(lowest: string, highest: string, target: string): RuleFindings {
  if (semver.lt(target, highest)) {
    return problem(
      target,
      `the cluster runs etcd ${highest} and this would downgrade it to ${target}, which a rolling replacement cannot do: ` +
        `etcd's downgrade procedure (${DOWNGRADE_GUIDE}) starts with \`etcdctl downgrade validate\` and \`etcdctl downgrade enable\`; ` +
        `keep ${highest}, or follow that procedure by hand`,
    );
  }
  const [from, to] = [lineOf(lowest), lineOf(target)];
  if (semver.major(target) !== semver.major(lowest)) {
    return problem(target, `the cluster runs etcd ${lowest}; a move to another major version (${to}) is not supported`);
  }
  if (semver.minor(target) > semver.minor(lowest) + 1) {
    return problem(
      target,
      `the cluster runs etcd ${lowest} and this would skip from ${from} to ${to}; etcd upgrades one minor version at a time: ` +
        `upgrade ${pathText(lowest, target)}`,
    );
  }
  const minimum = MINIMUM_RELEASE_BEFORE[to];
  if (from !== to && minimum !== undefined && semver.lt(lowest, minimum)) {
    return problem(
      target,
      `the cluster runs etcd ${lowest}, and etcd's ${from} → ${to} upgrade guide requires every member on ${minimum} or later first; ` +
        `upgrade ${pathText(lowest, target)}`,
    );
  }
  return NO_FINDINGS;
}
