/**
 * promote_learner (member-config-lib.sh): the one question "promote this learner" that
 * etcd-join-cluster (its own promotion, and an earlier joining member's) and the pre-disruption
 * gate's cluster-health-check ask etcd. It runs against a stand-in etcdctl that answers with etcd
 * 3.5.30's own output, as etcdctl printed it against a real etcd here: a JSON warning line of the
 * client's retry interceptor, then `Error: …`, exit status 1. Each caller's policy on the outcome is
 * specified by join-cluster.test.ts and cluster-health-check.test.ts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";

const LIBRARY = join(__dirname, "../../../src/core/member/scripts/member-config-lib.sh");
const LEARNER_ID = "93dac6d6c2c8888";

/** etcdctl 3.5's stderr when etcd refuses a promotion with `desc` (gRPC code `code`). */
const refusal = (code: string, desc: string) =>
  `{"level":"warn","ts":"2026-12-03T20:48:28.774780Z","logger":"etcd-client","caller":"v3/retry_interceptor.go:66",` +
  `"msg":"retrying of unary invoker failed","target":"etcd-endpoints://0x1c66c3aaa5a0/127.0.0.1:23790",` +
  `"peer":"Peer{Addr: '127.0.0.1:23790', LocalAddr: '127.0.0.1:53792', AuthInfo: 'insecure'}","attempt":0,` +
  `"error":"rpc error: code = ${code} desc = ${desc}"}\nError: ${desc}\n`;

// etcd's ErrGRPCLearnerNotReady, ErrGRPCMemberNotEnoughStarted, ErrGRPCMemberNotLearner and
// ErrGRPCMemberNotFound (api/v3rpc/rpctypes/error.go).
const NOT_IN_SYNC = refusal("FailedPrecondition", "etcdserver: can only promote a learner member which is in sync with leader");
const NOT_ENOUGH_STARTED = refusal("FailedPrecondition", "etcdserver: re-configuration failed due to not enough started members");
const NOT_A_LEARNER = refusal("FailedPrecondition", "etcdserver: can only promote a learner member");
const NOT_FOUND = refusal("NotFound", "etcdserver: member not found");

interface Promotion {
  /** promote_learner's line on stdout. */
  readonly line: string;
  readonly status: number | null;
  /** etcdctl's arguments, then its ETCDCTL_DIAL_TIMEOUT and ETCDCTL_COMMAND_TIMEOUT. */
  readonly call: string;
}

/** Sources the library and runs promote_learner LEARNER_ID against a stand-in etcdctl that prints `stdout`/`stderr` and exits with `exit`. */
function promoteWith(answer: { readonly stdout?: string; readonly stderr?: string; readonly exit: number }, env: Record<string, string> = {}): Promotion {
  const dir = mkdtempSync(join(tmpdir(), "promote-learner-"));
  try {
    writeFileSync(join(dir, "stdout"), answer.stdout ?? "");
    writeFileSync(join(dir, "stderr"), answer.stderr ?? "");
    writeFileSync(
      join(dir, "etcdctl"),
      `#!/bin/bash\necho "$* $ETCDCTL_DIAL_TIMEOUT $ETCDCTL_COMMAND_TIMEOUT" > "${dir}/call"\ncat "${dir}/stdout"\ncat "${dir}/stderr" >&2\nexit ${answer.exit}\n`,
    );
    chmodSync(join(dir, "etcdctl"), 0o755);
    const run = spawnSync("bash", ["-c", `set -euo pipefail; script_name=test; source "$1"; promote_learner ${LEARNER_ID}`, "bash", LIBRARY], {
      env: { PATH: `${dir}:${process.env["PATH"] ?? ""}`, ...env },
      encoding: "utf8",
    });
    return { line: run.stdout, status: run.status, call: readFileSync(join(dir, "call"), "utf8").trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("promote_learner: one promotion asked of etcd, its answer told apart", () => {
  test("promoted: etcd made the learner a voter, with etcd's answer", () => {
    const run = promoteWith({ stdout: `Member  ${LEARNER_ID} promoted in cluster 2e1259d415f2a040\n`, exit: 0 });
    assert.equal(run.status, 0);
    assert.equal(run.line, `promoted Member  ${LEARNER_ID} promoted in cluster 2e1259d415f2a040\n`);
  });

  test("not-in-sync: etcd refuses a learner whose log is not close to the leader's (ErrLearnerNotReady), etcd's answer on one line", () => {
    const run = promoteWith({ stderr: NOT_IN_SYNC, exit: 1 });
    assert.equal(run.status, 0);
    assert.equal(run.line, `not-in-sync ${NOT_IN_SYNC.trimEnd().replace("\n", " ")}\n`);
  });

  test("not-in-sync: etcd refuses while too few voters run to keep a quorum after it (ErrNotEnoughStartedMembers)", () => {
    const run = promoteWith({ stderr: NOT_ENOUGH_STARTED, exit: 1 });
    assert.match(run.line, /^not-in-sync .*Error: etcdserver: re-configuration failed due to not enough started members\n$/);
  });

  test("voter: the member is no learner (ErrMemberNotLearner), though its text begins like ErrLearnerNotReady's", () => {
    const run = promoteWith({ stderr: NOT_A_LEARNER, exit: 1 });
    assert.equal(run.status, 0);
    assert.equal(run.line, `voter ${NOT_A_LEARNER.trimEnd().replace("\n", " ")}\n`);
  });

  test("refused: any other answer, with etcd's text (a member ID etcd does not know)", () => {
    const run = promoteWith({ stderr: NOT_FOUND, exit: 1 });
    assert.equal(run.status, 0);
    assert.equal(run.line, `refused ${NOT_FOUND.trimEnd().replace("\n", " ")}\n`);
  });

  test("refused: no member answers in time, with etcdctl's text", () => {
    const run = promoteWith({ stderr: "Error: context deadline exceeded\n", exit: 1 });
    assert.equal(run.line, "refused Error: context deadline exceeded\n");
  });

  test("asks once, by the learner's hex ID, bounded by a 3 s dial and a 5 s command timeout whatever the caller set", () => {
    const run = promoteWith({ stderr: NOT_IN_SYNC, exit: 1 }, { ETCDCTL_DIAL_TIMEOUT: "2m", ETCDCTL_COMMAND_TIMEOUT: "10m" });
    assert.equal(run.call, `member promote ${LEARNER_ID} 3s 5s`);
  });
});
