/**
 * Runs a member script (join-cluster, remove-member) against a stand-in `etcdctl` and `curl` on a
 * real etcd config file: the stand-ins log every call; etcdctl answers `member list` with the lists
 * it is given (the n-th list call gets the n-th answer, the last one repeating; `null` is a failed
 * call, as when no member answers), in the format asked (`-w simple` or `-w json`); curl answers a
 * peer listener's `GET /members` the same way from its own lists (default: nobody answers);
 * `member promote` succeeds once it has refused as many times as asked (with etcd's "not in sync"
 * answer, or the one given); `endpoint health --cluster -w json` reports every started member of
 * the latest list healthy; `alarm list` reports no alarm. `sleep` is a no-op, so retry pauses cost
 * nothing.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One member of `etcdctl member list`. */
export interface ListedMember {
  /** The member ID, as etcd's JSON holds it (a number); etcdctl's simple format prints it in hex. */
  readonly id: number;
  readonly status: "started" | "unstarted";
  /** Empty for a member added at run time that has not started; a static bootstrap's are named from the start. */
  readonly name: string;
  readonly peerUrl: string;
  readonly isLearner?: boolean;
}

/** What a run of the script did. */
export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** etcdctl's arguments, one call per entry; `curl <URL>` for a peer listener asked; `restore` for the restore script run. */
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
  /** Answers to successive peer `GET /members` calls; `null`: nobody answers. Default: nobody ever answers. */
  readonly peerLists?: readonly (readonly ListedMember[] | null)[];
  /** Files to create in the WAL directory (the config's `wal-dir` is redirected to a temp dir). */
  readonly walFiles?: readonly string[];
  /** Files to create in the data directory (the config's `data-dir` is redirected to a temp dir). */
  readonly dataFiles?: readonly string[];
  /** Passes `--restore <stub>`: a stand-in restore script that logs `restore` among the calls. */
  readonly withRestoreScript?: boolean;
  /** Extra environment variables of the run. */
  readonly env?: Readonly<Record<string, string>>;
  /** How many `member promote` calls etcd refuses before one succeeds; default 0. */
  readonly promoteRefusals?: number;
  /** etcd's answer to a refused `member promote`; default: the learner is not in sync with the leader. */
  readonly promoteRefusal?: string;
}

/** etcd 3.5's refusal of a learner whose log is not close enough to the leader's (ErrGRPCLearnerNotReady). */
export const NOT_IN_SYNC = "Error: etcdserver: can only promote a learner member which is in sync with leader";

/** Client URLs of a listed member: only a started member has published them. */
const clientUrls = (m: ListedMember): string[] => (m.status === "started" ? [m.peerUrl.replace(":2380", ":2379")] : []);

function simpleList(members: readonly ListedMember[]): string {
  return (
    members
      // etcdctl prints "unstarted" for a member without a name.
      .map((m) => `${m.id.toString(16)}, ${m.name === "" ? "unstarted" : "started"}, ${m.name}, ${m.peerUrl}, ${clientUrls(m).join(",")}, ${m.isLearner ?? false}`)
      .join("\n")
  );
}

/** `etcdctl member list -w json`: etcd's MemberListResponse (empty fields omitted, as etcd does). */
function jsonList(members: readonly ListedMember[]): string {
  const entries = members.map((m) => ({
    ID: m.id,
    ...(m.name === "" ? {} : { name: m.name }),
    peerURLs: [m.peerUrl],
    ...(m.status === "started" ? { clientURLs: clientUrls(m) } : {}),
    ...(m.isLearner === true ? { isLearner: true } : {}),
  }));
  return JSON.stringify({ header: { cluster_id: 1, member_id: 2, raft_term: 3 }, members: entries });
}

/** `etcdctl endpoint health --cluster -w json`: every started member's client URL, healthy. */
function healthList(members: readonly ListedMember[]): string {
  return JSON.stringify(members.flatMap((m) => clientUrls(m).map((endpoint) => ({ endpoint, health: true, took: "1ms" }))));
}

/** A peer listener's `GET /members`: etcd's membership.Member list. */
function peerList(members: readonly ListedMember[]): string {
  return JSON.stringify(
    members.map((m) => ({
      id: m.id,
      peerURLs: [m.peerUrl],
      ...(m.name === "" ? {} : { name: m.name }),
      ...(m.status === "started" ? { clientURLs: clientUrls(m) } : {}),
      ...(m.isLearner === true ? { isLearner: true } : {}),
    })),
  );
}

const FAKE_ETCDCTL = `#!/bin/bash
dir="$(dirname "$0")"
printf '%s\\n' "$*" >> "$dir/calls.log"
printf '%s %s\\n' "$ETCDCTL_ENDPOINTS" "$ETCDCTL_CERT" > "$dir/identity"
latest_list() {
  n=$(grep -c 'member list' "$dir/calls.log")
  while [ "$n" -gt 1 ] && [ ! -e "$dir/list-$n" ]; do n=$((n - 1)); done
}
case "$*" in
  *"member list"*)
    latest_list
    [ -s "$dir/list-$n" ] || { echo "context deadline exceeded" >&2; exit 1; }
    case "$*" in *"-w json"*) cat "$dir/list-$n.json" ;; *) cat "$dir/list-$n" ;; esac ;;
  *"endpoint health"*) latest_list; cat "$dir/health-$n.json" ;;
  *"alarm list"*) ;;
  *"member add"*|*"member remove"*) echo "ok" ;;
  *"member promote"*)
    if [ "$(grep -c 'member promote' "$dir/calls.log")" -le "$(cat "$dir/promote-refusals")" ]; then
      cat "$dir/promote-refusal" >&2; exit 1
    fi
    echo "Member $3 promoted in cluster" ;;
  *) exit 2 ;;
esac
`;

const FAKE_CURL = `#!/bin/bash
dir="$(dirname "$0")"
printf 'curl %s\\n' "\${*: -1}" >> "$dir/calls.log"
n=$(grep -c '^curl ' "$dir/calls.log")
while [ "$n" -gt 1 ] && [ ! -e "$dir/peer-$n" ]; do n=$((n - 1)); done
[ -s "$dir/peer-$n" ] || { echo "curl: (7) Failed to connect" >&2; exit 7; }
output=/dev/stdout
while [ $# -gt 0 ]; do if [ "$1" = --output ]; then output=$2; fi; shift; done
cat "$dir/peer-$n" > "$output"
`;

/** Runs `input.script` with bash, the fakes first on PATH; everything lives in a temp dir removed afterwards. */
export function runAgainstFakeCluster(input: FakeClusterInput): ScriptRun {
  const dir = mkdtempSync(join(tmpdir(), "member-script-"));
  try {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "etcdctl"), FAKE_ETCDCTL);
    writeFileSync(join(bin, "curl"), FAKE_CURL);
    writeFileSync(join(bin, "sleep"), "#!/bin/sh\n");
    for (const tool of ["etcdctl", "curl", "sleep"]) chmodSync(join(bin, tool), 0o755);
    writeFileSync(join(bin, "promote-refusals"), String(input.promoteRefusals ?? 0));
    writeFileSync(join(bin, "promote-refusal"), `${input.promoteRefusal ?? NOT_IN_SYNC}\n`);
    input.memberLists.forEach((list, index) => {
      writeFileSync(join(bin, `list-${index + 1}`), list === null ? "" : simpleList(list));
      writeFileSync(join(bin, `list-${index + 1}.json`), list === null ? "" : jsonList(list));
      writeFileSync(join(bin, `health-${index + 1}.json`), list === null ? "" : healthList(list));
    });
    (input.peerLists ?? [null]).forEach((list, index) => writeFileSync(join(bin, `peer-${index + 1}`), list === null ? "" : peerList(list)));
    const [walDir, dataDir] = [join(dir, "wal"), join(dir, "data")];
    for (const [directory, files] of [
      [walDir, input.walFiles],
      [dataDir, input.dataFiles],
    ] as const) {
      mkdirSync(directory);
      for (const file of files ?? []) writeFileSync(join(directory, file), "");
    }
    const configPath = join(dir, "etcd.conf.yml");
    writeFileSync(configPath, input.config.replace(/^wal-dir: .*$/m, `wal-dir: ${walDir}`).replace(/^data-dir: .*$/m, `data-dir: ${dataDir}`));
    const scriptPath = join(dir, "script");
    writeFileSync(scriptPath, input.script, { mode: 0o755 });
    const restoreArgs: string[] = [];
    if (input.withRestoreScript === true) {
      writeFileSync(join(bin, "restore"), `#!/bin/sh\necho restore >> "${join(bin, "calls.log")}"\n`, { mode: 0o755 });
      restoreArgs.push("--restore", join(bin, "restore"));
    }
    const run = spawnSync("bash", [scriptPath, "--config", configPath, ...restoreArgs, ...(input.args ?? [])], {
      env: { PATH: `${bin}:${process.env["PATH"] ?? ""}`, ...input.env },
      encoding: "utf8",
    });
    const log = join(bin, "calls.log");
    return {
      status: run.status,
      stdout: run.stdout,
      stderr: run.stderr,
      etcdctlCalls: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [],
      etcdctlIdentity: existsSync(join(bin, "identity")) ? readFileSync(join(bin, "identity"), "utf8").trim() : "",
      config: readFileSync(configPath, "utf8")
        .replace(/^wal-dir: .*$/m, input.config.match(/^wal-dir: .*$/m)?.[0] ?? "")
        .replace(/^data-dir: .*$/m, input.config.match(/^data-dir: .*$/m)?.[0] ?? ""),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
