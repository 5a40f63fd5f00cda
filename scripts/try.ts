/**
 * `npm run try -- [--stack dev] [--members 3|5|7] [--keep]`: the product on this machine, without
 * AWS or the Pulumi CLI. Renders a stack offline, boots every member it renders as a real etcd
 * process in its own network namespace (the e2e suite's harness, test/e2e/support), and shows the
 * cluster working. Everything created is removed on exit, on error and on Ctrl-C (cleanup.ts).
 * Needs root and the etcd binaries: scripts/try.sh provides both on a fresh machine.
 */
import { faultToleranceLine } from "../src/core/etcd/topology";
import { onCleanup } from "../dev/local-cluster/cleanup";
import { LocalCluster } from "../dev/local-cluster/local-cluster";
import { expectOk } from "../dev/local-cluster/namespace-exec";
import { stackNames } from "../dev/mock-runtime/stack-files";
import { parseTryOptions, TryOptionsError } from "../dev/try/options";
import { missingPreconditions } from "../dev/try/preconditions";
import { memberTable, reachCommands } from "../dev/try/report";
import { stackBlueprint } from "../dev/try/stack-blueprint";

/** Names this run's namespaces and temp dir: `etcd-e2e-<pid>-try-…`. */
const LABEL = "try";
const DEMO_KEY = "/try/greeting";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const secondsSince = (since: number) => seconds(Date.now() - since);
const say = (line: string) => console.log(`try: ${line}`);
const section = (title: string, body: string) => console.log(`\n== ${title}\n${body.trimEnd()}`);

/** What a user sees once the cluster is up: where it lives, its status, a write and a read. */
async function showCluster(cluster: LocalCluster): Promise<void> {
  section("members", memberTable(cluster));
  section("etcdctl endpoint status --cluster -w table", expectOk(await cluster.etcdctl(["endpoint", "status", "--cluster", "-w", "table"]), "endpoint status"));
  section("etcdctl endpoint health --cluster", expectOk(await cluster.etcdctl(["endpoint", "health", "--cluster"]), "endpoint health"));
  const writer = cluster.member(0);
  const reader = cluster.member(1);
  const value = `written through ${writer.name} at ${new Date().toISOString()}`;
  await cluster.put(DEMO_KEY, value, writer);
  section(
    "a write and a read through two different members",
    [`put ${DEMO_KEY} via ${writer.name} (${writer.ip})`, `get ${DEMO_KEY} via ${reader.name} (${reader.ip}): ${await cluster.get(DEMO_KEY, reader)}`].join("\n"),
  );
  section("fault tolerance", faultToleranceLine(cluster.members.length));
}

async function main(args: readonly string[]): Promise<void> {
  const options = parseTryOptions(args, stackNames());
  const problems = missingPreconditions();
  if (problems.length > 0) throw new Error(`cannot boot the cluster here:\n  - ${problems.join("\n  - ")}`);

  let started = Date.now();
  say(`rendering stack ${options.stack}${options.members === undefined ? "" : ` with ${options.members} members`} (index.ts offline, real certificates)`);
  const blueprint = await stackBlueprint(options.stack, options.members);
  say(`rendered ${blueprint.members.length} members in ${secondsSince(started)}`);

  started = Date.now();
  // Registered before the cluster's own cleanups, so it runs after them: once everything is gone.
  onCleanup(() => say("stopped the members, removed their network namespaces and temp dir"));
  const cluster = LocalCluster.create(blueprint, LABEL);
  cluster.startAll();
  say(`started ${cluster.members.length} etcd processes, one network namespace each, in ${secondsSince(started)} (temp dir ${cluster.workDir})`);
  try {
    say(`all members healthy ${seconds(await cluster.waitHealthy())} after start`);
    await showCluster(cluster);
    if (options.keep) {
      section("use it from another shell", reachCommands(cluster));
      say("the cluster keeps running; Ctrl-C stops and removes it");
      // Never settles: the etcd processes keep this process alive, and Ctrl-C runs the harness's
      // exit handlers (cleanup.ts), which remove everything before the process ends.
      await new Promise<never>(() => undefined);
    }
  } finally {
    await cluster.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`try: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof TryOptionsError ? 2 : 1;
});
