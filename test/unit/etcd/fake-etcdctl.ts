/**
 * Runs a member script (join-cluster, remove-member) against a stand-in `etcdctl` on a real etcd
 * config file: the stand-in logs every call and answers `member list` with the lists it is given
 * (the n-th list call gets the n-th answer, the last one repeating; `null` is a failed call, as
 * when no member answers); `member promote` succeeds once it has refused as many times as asked.
 * `sleep` is a no-op, so retry pauses cost nothing.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One line of `etcdctl member list -w simple`. */
export interface ListedMember {
  readonly id: string;
  readonly status: "started" | "unstarted";
  /** Empty for a member added at run time that has not started; a static bootstrap's are named from the start. */
  readonly name: string;
  readonly peerUrl: string;
  readonly isLearner?: boolean;
}

/** What a run of the script did. */
export interface ScriptRun {
  readonly status: number | null;
  readonly stderr: string;
  /** etcdctl's arguments, one call per entry. */
  readonly etcdctlCalls: readonly string[];
  /** `ETCDCTL_ENDPOINTS` and `ETCDCTL_CERT` of the last etcdctl call, space-separated; empty without calls. */
  readonly etcdctlIdentity: string;
  /** The config file after the run. */
  readonly config: string;
}

/** The fake's input: the script, its arguments, the config it reads and the member lists it sees. */
export interface FakeClusterInput {
  readonly script: string;
  readonly args?: readonly string[];
  readonly config: string;
  /** Answers to successive `member list` calls; `null`: the call fails. */
  readonly memberLists: readonly (readonly ListedMember[] | null)[];
  /** Files to create in the WAL directory (the config's `wal-dir` is redirected to a temp dir). */
  readonly walFiles?: readonly string[];
  /** How many `member promote` calls etcd refuses as "not in sync with leader" before one succeeds; default 0. */
  readonly promoteRefusals?: number;
}

function simpleList(members: readonly ListedMember[]): string {
  return members
    // etcdctl prints "unstarted" for a member without a name; only a started member has client URLs.
    .map((m) => `${m.id}, ${m.name === "" ? "unstarted" : "started"}, ${m.name}, ${m.peerUrl}, ${m.status === "started" ? m.peerUrl.replace(":2380", ":2379") : ""}, ${m.isLearner ?? false}`)
    .join("\n");
}

const FAKE_ETCDCTL = `#!/bin/bash
dir="$(dirname "$0")"
printf '%s\\n' "$*" >> "$dir/calls.log"
printf '%s %s\\n' "$ETCDCTL_ENDPOINTS" "$ETCDCTL_CERT" > "$dir/identity"
case "$*" in
  *"member list"*)
    n=$(grep -c 'member list' "$dir/calls.log")
    while [ "$n" -gt 1 ] && [ ! -e "$dir/list-$n" ]; do n=$((n - 1)); done
    [ -s "$dir/list-$n" ] || { echo "context deadline exceeded" >&2; exit 1; }
    cat "$dir/list-$n" ;;
  *"member add"*|*"member remove"*) echo "ok" ;;
  *"member promote"*)
    if [ "$(grep -c 'member promote' "$dir/calls.log")" -le "$(cat "$dir/promote-refusals")" ]; then
      echo "Error: etcdserver: can only promote a learner member which is in sync with leader" >&2; exit 1
    fi
    echo "Member $3 promoted in cluster" ;;
  *) exit 2 ;;
esac
`;

/** Runs `input.script` with bash, the fakes first on PATH; everything lives in a temp dir removed afterwards. */
export function runAgainstFakeCluster(input: FakeClusterInput): ScriptRun {
  const dir = mkdtempSync(join(tmpdir(), "member-script-"));
  try {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "etcdctl"), FAKE_ETCDCTL);
    writeFileSync(join(bin, "sleep"), "#!/bin/sh\n");
    for (const tool of ["etcdctl", "sleep"]) chmodSync(join(bin, tool), 0o755);
    writeFileSync(join(bin, "promote-refusals"), String(input.promoteRefusals ?? 0));
    input.memberLists.forEach((list, index) => writeFileSync(join(bin, `list-${index + 1}`), list === null ? "" : simpleList(list)));
    const walDir = join(dir, "wal");
    mkdirSync(walDir);
    for (const file of input.walFiles ?? []) writeFileSync(join(walDir, file), "");
    const configPath = join(dir, "etcd.conf.yml");
    writeFileSync(configPath, input.config.replace(/^wal-dir: .*$/m, `wal-dir: ${walDir}`));
    const scriptPath = join(dir, "script");
    writeFileSync(scriptPath, input.script, { mode: 0o755 });
    const run = spawnSync("bash", [scriptPath, "--config", configPath, ...(input.args ?? [])], {
      env: { PATH: `${bin}:${process.env["PATH"] ?? ""}` },
      encoding: "utf8",
    });
    const log = join(bin, "calls.log");
    return {
      status: run.status,
      stderr: run.stderr,
      etcdctlCalls: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [],
      etcdctlIdentity: existsSync(join(bin, "identity")) ? readFileSync(join(bin, "identity"), "utf8").trim() : "",
      config: readFileSync(configPath, "utf8").replace(/^wal-dir: .*$/m, input.config.match(/^wal-dir: .*$/m)?.[0] ?? ""),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
