/**
 * The defrag script, rendered and run by bash with an etcdctl stand-in that answers as the members'
 * health and this member's status (sizes and alarms, smaller once `defrag` ran) would, and a curl
 * stand-in for etcd's gRPC gateway. test/e2e/defrag.test.ts runs the same script against real etcd.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DEFRAG_MIN_FREE_BYTES, DEFRAG_MIN_FREE_PERCENT, renderDefragScript, type DefragScriptInput } from "../../../src/core/member/scripts/defrag-script";
import { DEFAULT_HOST_PATHS } from "../../../src/core/member/ports-and-paths";
import { checkShellScript, checkShellScriptFile, toolAvailable } from "../../support/linters";
import { readonlyLiteral } from "../backup/readonly-literal";
import { inSandbox } from "../../support/script-sandbox";

const MiB = 1024 ** 2;
const QUOTA = 2048 * MiB;
const INPUT: DefragScriptInput = { memberName: "etcd-prod-2", paths: DEFAULT_HOST_PATHS, quotaBackendBytes: QUOTA };
const script = renderDefragScript(INPUT);

const HEALTHY = "is healthy: successfully committed proposal: took = 2.1ms";
const NOSPACE_ONLY = "is unhealthy: failed to commit proposal: Active Alarm(s): NOSPACE ";

interface Cluster {
  /** What `endpoint health --cluster` says of each of three members. */
  readonly health: readonly string[];
  /** This member's backend before and after a defrag, and the part in use. */
  readonly dbSize: number;
  readonly dbSizeAfter: number;
  readonly inUse: number;
  /** True when this member's NOSPACE alarm is raised. */
  readonly nospace?: boolean;
}

/** etcdctl's stand-in for member 42 of the cluster `cluster`. */
function etcdctl(cluster: Cluster): string {
  const healthLines = cluster.health.map((line, index) => `https://10.0.${index}.10:2379 ${line}`).join("\\n");
  const errors = cluster.nospace ? `"memberID:42 alarm:NOSPACE "` : "";
  const status = (size: number) =>
    `[{"Endpoint":"https://127.0.0.1:2379","Status":{"header":{"cluster_id":7,"member_id":42,"revision":900,"raft_term":2},"version":"3.5.30","dbSize":${size},"leader":42,"raftIndex":950,"raftTerm":2,"raftAppliedIndex":950,"errors":[${errors}],"dbSizeInUse":${cluster.inUse}}}]`;
  return `dir=$(dirname "$0")
case "$*" in
  *"endpoint health --cluster"*) printf '${healthLines}\\n' ;;
  *"endpoint status -w json"*) if [ -e "$dir/defragged" ]; then echo '${status(cluster.dbSizeAfter)}'; else echo '${status(cluster.dbSize)}'; fi ;;
  *" defrag "*) touch "$dir/defragged"; echo "Finished defragmenting etcd member[https://127.0.0.1:2379]" ;;
  *"alarm disarm"*) echo "memberID:42 alarm:NOSPACE" ;;
  *) exit 2 ;;
esac`;
}

/**
 * curl's stand-in for etcd's gRPC gateway: GET lists this member's NOSPACE and CORRUPT alarms and
 * another member's NOSPACE, as etcd answers (api/etcdserverpb/rpc.proto AlarmResponse, IDs as strings).
 */
const GATEWAY = `case "$*" in
  *'"action":"GET"'*) echo '{"header":{"cluster_id":"7","member_id":"42","revision":"900","raft_term":"2"}, "alarms":[{"memberID":"42", "alarm":"CORRUPT"}, {"memberID":"42", "alarm":"NOSPACE"}, {"memberID":"18446744073709551557", "alarm":"NOSPACE"}]}' ;;
  *'"action":"DEACTIVATE"'*) echo '{"header":{"cluster_id":"7","member_id":"42","revision":"900","raft_term":"2"}}' ;;
  *) exit 22 ;;
esac`;

function defrag(cluster: Cluster) {
  return inSandbox((sandbox) => sandbox.run({ script: sandbox.file("etcd-defrag", script), steps: "", stubs: { etcdctl: etcdctl(cluster), curl: GATEWAY } }));
}

/** The AlarmRequests sent to the gateway, in order, and where to. */
const alarmRequests = (calls: readonly string[]) =>
  calls.filter((call) => call.startsWith("curl ")).map((call) => `${/--data (\{.*\}) /.exec(call)?.[1]} ${call.split(" ").at(-1)}`);

/** etcdctl's subcommands in call order, without the connection flags. */
const subcommands = (calls: readonly string[]) => calls.map((call) => call.replace(/^etcdctl (--\S+ )+/, ""));

const fragmented: Cluster = { health: [HEALTHY, HEALTHY, HEALTHY], dbSize: 1024 * MiB, dbSizeAfter: 300 * MiB, inUse: 290 * MiB };

describe("defrag script", () => {
  it("passes shellcheck as a file and as rendered", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    for (const report of [checkShellScriptFile(join(__dirname, "../../../src/core/member/scripts/defrag.sh")), checkShellScript(script)]) {
      assert.ok(report.passed, report.output);
    }
  });

  it("talks to the member's own loopback client URL with its server certificate, and knows its thresholds and quota", () => {
    assert.equal(readonlyLiteral(script, "ENDPOINT"), "'https://127.0.0.1:2379'");
    assert.equal(readonlyLiteral(script, "CLIENT_CERT"), "'/etc/etcd/pki/server.crt'");
    assert.equal(DEFRAG_MIN_FREE_PERCENT, 30);
    assert.equal(DEFRAG_MIN_FREE_BYTES, 64 * MiB);
    assert.equal(readonlyLiteral(script, "QUOTA_BYTES"), String(QUOTA));
  });

  it("defragments the local member only, once every member is healthy and enough is free, and logs the sizes", () => {
    const run = defrag(fragmented);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(subcommands(run.calls), ["endpoint health --cluster", "endpoint status -w json", "defrag --command-timeout=20m", "endpoint status -w json"]);
    assert.match(run.stdout, new RegExp(`OK defragmented etcd-prod-2: db ${1024 * MiB} -> ${300 * MiB} bytes \\(${290 * MiB} in use\\) in \\d+ ms`));
  });

  it("refuses while another member is unhealthy, defragmenting nothing", () => {
    const run = defrag({ ...fragmented, health: [HEALTHY, "is unhealthy: failed to commit proposal: context deadline exceeded", HEALTHY] });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /FAILED: refused: not every member is healthy, nothing defragmented: https:\/\/10\.0\.1\.10:2379 is unhealthy/);
    assert.deepEqual(subcommands(run.calls), ["endpoint health --cluster"]);
  });

  it("skips a backend with too little free space", () => {
    const run = defrag({ ...fragmented, inUse: 1000 * MiB });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /skipped: etcd-prod-2 has 25165824 of 1073741824 bytes free/);
    assert.ok(!subcommands(run.calls).some((call) => call.startsWith("defrag")));
  });

  it("counts members reporting only the NOSPACE alarm as up, defragments, and disarms once the backend is below the quota", () => {
    const run = defrag({ health: [NOSPACE_ONLY, NOSPACE_ONLY, NOSPACE_ONLY], dbSize: QUOTA, dbSizeAfter: 500 * MiB, inUse: 480 * MiB, nospace: true });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /ALARM NOSPACE on etcd-prod-2/);
    assert.deepEqual(subcommands(run.calls.filter((call) => call.startsWith("etcdctl "))).slice(2), ["defrag --command-timeout=20m", "endpoint status -w json"]);
    assert.match(
      run.stdout,
      /NOSPACE disarmed: etcd-prod-2's db \(524288000 bytes\) is below the quota \(2147483648\); lifted for member\(s\) 42 18446744073709551557, every other alarm left raised/,
    );
  });

  it("lifts the NOSPACE alarms alone, through the member's own gateway with its client certificate: CORRUPT stays raised", () => {
    const run = defrag({ health: [NOSPACE_ONLY, NOSPACE_ONLY, NOSPACE_ONLY], dbSize: QUOTA, dbSizeAfter: 500 * MiB, inUse: 480 * MiB, nospace: true });
    assert.equal(run.status, 0, run.stderr);
    const gateway = "https://127.0.0.1:2379/v3/maintenance/alarm";
    assert.deepEqual(alarmRequests(run.calls), [
      `{"action":"GET","memberID":"0","alarm":"NONE"} ${gateway}`,
      `{"action":"DEACTIVATE","memberID":"42","alarm":"NOSPACE"} ${gateway}`,
      `{"action":"DEACTIVATE","memberID":"18446744073709551557","alarm":"NOSPACE"} ${gateway}`,
    ]);
    assert.ok(run.calls.filter((call) => call.startsWith("curl ")).every((call) => call.includes("--cert /etc/etcd/pki/server.crt --key /etc/etcd/pki/server.key")));
    assert.ok(!run.calls.some((call) => call.includes("alarm disarm")), "etcdctl alarm disarm lifts every alarm");
  });

  it("keeps the NOSPACE alarm when the defragmented backend is still not below the quota", () => {
    const run = defrag({ health: [NOSPACE_ONLY, NOSPACE_ONLY, NOSPACE_ONLY], dbSize: QUOTA + 100 * MiB, dbSizeAfter: QUOTA, inUse: QUOTA, nospace: true });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /NOSPACE stays on etcd-prod-2/);
    assert.deepEqual(alarmRequests(run.calls), []);
  });

  it("quotes the member name, so no value can inject shell", () => {
    const hostile = renderDefragScript({ ...INPUT, memberName: "it's $(reboot)" });
    assert.equal(readonlyLiteral(hostile, "MEMBER"), `'it'\\''s $(reboot)'`);
  });
});
