/**
 * etcd-ops: the operator's tool for a provisioned cluster (`npm run etcd-ops -- <command> …`).
 * Exit codes: 0 success, 1 failure or refusal (unhealthy member, non-empty prefix, bad file),
 * 2 wrong usage.
 */
import { parseArgs } from "node:util";
import { loadClusterAccess } from "./cluster-access";
import { runExport } from "./export";
import { runHealth } from "./health";
import { runImport } from "./import";
import { renderScrapeConfig, scrapeTargetsFromOutputs } from "./scrape-config";
import { runSnapshot } from "./snapshot";
import { runStatus } from "./status";

const USAGE = `usage: etcd-ops <command> [options]

commands:
  health                          every member: healthy, leader, revision, db size, raft term (exit 1 if any is unhealthy)
  status --outputs FILE           one screen: members, raft index, db size vs quota, fragmentation, last backup
                                  (aws s3api), certificate expiries (exit 1 if anything is out of bounds)
  snapshot --out FILE [--member URL]
                                  snapshot of the leader (or the named member), refused unless it is healthy
  export --out FILE [--prefix P]  keys under prefix P (default: all) to a version-independent JSON file
  import --in FILE [--force]      keys of an export file, verified first; refused into a non-empty prefix without --force
  scrape-config --outputs FILE    Prometheus scrape_configs for the members (jobs etcd and etcd-member; see monitoring/)

connection (flags win over --outputs):
  --outputs FILE                  JSON of \`pulumi stack output --json --show-secrets\`
  --endpoints URL[,URL…]          client URLs of the members
  --cacert FILE  --cert FILE  --key FILE
`;

const OPTIONS = {
  outputs: { type: "string" },
  endpoints: { type: "string" },
  cacert: { type: "string" },
  cert: { type: "string" },
  key: { type: "string" },
  out: { type: "string" },
  in: { type: "string" },
  member: { type: "string" },
  prefix: { type: "string", default: "" },
  force: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

class UsageError extends Error {}

function required(value: string | undefined, flag: string, command: string): string {
  if (value === undefined) throw new UsageError(`${command} needs ${flag}`);
  return value;
}

async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
  const [command, ...extra] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  const access = () => loadClusterAccess(values);
  switch (command) {
    case "health":
      return runHealth(access());
    case "status":
      return runStatus(access(), required(values.outputs, "--outputs FILE", command));
    case "snapshot":
      return runSnapshot(access(), { out: required(values.out, "--out FILE", command), member: values.member });
    case "export":
      return runExport(access(), { out: required(values.out, "--out FILE", command), prefix: values.prefix });
    case "scrape-config":
      process.stdout.write(renderScrapeConfig(scrapeTargetsFromOutputs(required(values.outputs, "--outputs FILE", command))));
      return 0;
    case "import":
      return runImport(access(), { in: required(values.in, "--in FILE", command), force: values.force });
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

// grpc-js sets the TLS server name to the endpoint's IP address, which Node flags as deprecated
// (DEP0123) on every connection; the warning says nothing to an operator.
process.noDeprecation = true;

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const usage = error instanceof UsageError || (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"));
    process.stderr.write(`etcd-ops: ${message}\n${usage ? USAGE : ""}`);
    process.exit(usage ? 2 : 1);
  },
);
