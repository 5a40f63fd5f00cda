import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFRAG_MIN_FREE_BYTES,
  DEFRAG_MIN_FREE_PERCENT,
  renderDefragScript,
  type DefragScriptInput,
} from "../../../src/core/member/scripts/defrag-script";
import { DEFAULT_HOST_PATHS } from "../../../src/core/member/ports-and-paths";
import { checkShellScript, toolAvailable } from "../../support/linters";

const INPUT: DefragScriptInput = { memberName: "etcd-prod-2", paths: DEFAULT_HOST_PATHS, quotaBackendBytes: 8589934592 };
const script = renderDefragScript(INPUT);

/** The lines that run etcdctl (through the local wrapper), trimmed. */
function etcdctlCalls(): string[] {
  return script
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /etcdctl_local \w/.test(line) && !line.startsWith("etcdctl_local()"));
}

describe("renderDefragScript", () => {
  it("passes shellcheck with every finding counted", (t) => {
    if (!toolAvailable(t, "shellcheck")) return;
    const report = checkShellScript(script);
    assert.ok(report.passed, report.output);
  });

  it("talks to the member's own loopback client URL with its server certificate", () => {
    assert.ok(script.includes("readonly ENDPOINT='https://127.0.0.1:2379'\n"));
    assert.ok(script.includes("readonly CLIENT_CERT='/etc/etcd/pki/server.crt'\n"));
    assert.ok(script.includes("readonly CLIENT_KEY='/etc/etcd/pki/server.key'\n"));
    assert.ok(script.includes('etcdctl --endpoints="$ENDPOINT" '));
  });

  it("defragments the local endpoint only: --cluster appears in the health check alone", () => {
    const calls = etcdctlCalls();
    assert.deepEqual(
      calls.filter((line) => line.includes("--cluster")),
      ["health=$(etcdctl_local endpoint health --cluster 2>&1) || true"],
    );
    assert.ok(calls.some((line) => line.startsWith('defragged=$(etcdctl_local defrag --command-timeout="$COMMAND_TIMEOUT" 2>&1)')));
  });

  it("states its thresholds: 30 % of the file and 64 MiB free", () => {
    assert.equal(DEFRAG_MIN_FREE_PERCENT, 30);
    assert.equal(DEFRAG_MIN_FREE_BYTES, 64 * 1024 * 1024);
    assert.ok(script.includes("readonly MIN_FREE_PERCENT=30\n"));
    assert.ok(script.includes("readonly MIN_FREE_BYTES=67108864\n"));
  });

  it("knows the member's backend quota, below which it disarms a NOSPACE alarm", () => {
    assert.ok(script.includes("readonly QUOTA_BYTES=8589934592\n"));
    const disarm = script.indexOf("etcdctl_local alarm disarm");
    assert.ok(disarm > script.indexOf("etcdctl_local defrag"), "disarm comes after the defrag");
    assert.ok(disarm > script.indexOf("(( size_after < QUOTA_BYTES ))"), "disarm comes after the quota check");
  });

  it("counts a member that reports only the NOSPACE alarm as up, and nothing else that is unhealthy", () => {
    assert.ok(script.includes("is (healthy: |unhealthy: failed to commit proposal: Active Alarm\\(s\\): NOSPACE $)"));
  });

  it("quotes the member name, so no value can inject shell", () => {
    const hostile = renderDefragScript({ ...INPUT, memberName: "it's $(reboot)" });
    assert.ok(hostile.includes(`readonly MEMBER='it'\\''s $(reboot)'\n`));
  });
});
