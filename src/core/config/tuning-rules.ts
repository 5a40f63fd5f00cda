/**
 * Rules about etcd's tuning. The timing pair is checked after derivation (src/core/etcd/tuning.ts),
 * because that pair is what etcd receives; problems name the keys the stack actually set.
 */
import { deriveTuning, ELECTION_TIMEOUT_HEARTBEATS, MAX_QUOTA_BACKEND_BYTES, QUOTA_SHARE_OF_DATA_VOLUME } from "../etcd/tuning";
import { errorFinding, mergeFindings, NO_FINDINGS, warningFinding, type RuleFindings } from "./findings";
import { configKey, configProblem } from "./keys";
import type { ClusterConfig, TuningSettings } from "./types";

/** etcd's Config.Validate (server/embed/config.go): `election-timeout` ≥ 5 × `heartbeat-interval`. */
const MIN_ELECTION_TIMEOUT_HEARTBEATS = 5;

/** etcd's Config.Validate (`maxElectionMs`): `election-timeout` at most 50000 ms. */
const MAX_ELECTION_TIMEOUT_MS = 50000;

const GiB = 1024 ** 3;
const MAX_QUOTA_BACKEND_GIB = MAX_QUOTA_BACKEND_BYTES / GiB;

/** A Go duration (`1h`, `30m`, `1h30m`), as `auto-compaction-retention` takes in periodic mode. */
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const WHOLE_NUMBER = /^\d+$/;

/**
 * `auto-compaction-retention` is a duration (or a bare number of hours) in periodic mode and a
 * revision count in revision mode; etcd refuses anything else at start-up.
 */
export function compactionRetentionProblem(tuning: Pick<TuningSettings, "autoCompactionMode" | "autoCompactionRetention">): string | undefined {
  const retention = tuning.autoCompactionRetention;
  if (tuning.autoCompactionMode === "revision") {
    if (WHOLE_NUMBER.test(retention)) return undefined;
    return 'in revision mode this is a count of revisions to keep; write a whole number such as "10000", or "0" to leave compaction to the client';
  }
  if (WHOLE_NUMBER.test(retention) || GO_DURATION.test(retention)) return undefined;
  return 'in periodic mode this is a duration; write e.g. "1h" or "30m", or "0" to leave compaction to kube-apiserver';
}

type TuningFields = Pick<ClusterConfig, "tuning" | "dataVolume">;

/** The key that decided the heartbeat: the override when set, else the RTT it is derived from. */
function heartbeatSource(tuning: TuningSettings): { readonly path: readonly string[]; readonly value: number } {
  return tuning.heartbeatIntervalMs !== undefined
    ? { path: ["tuning", "heartbeatIntervalMs"], value: tuning.heartbeatIntervalMs }
    : { path: ["tuning", "peerRttMs"], value: tuning.peerRttMs };
}

/** `election-timeout` against `heartbeat-interval` and etcd's maximum, after derivation. */
export function checkElectionTimeout({ tuning, dataVolume }: TuningFields): RuleFindings {
  const { heartbeatIntervalMs: heartbeat, electionTimeoutMs: election } = deriveTuning(tuning, dataVolume.sizeGiB);
  const heartbeatFrom = heartbeatSource(tuning);
  const heartbeatOrigin = tuning.heartbeatIntervalMs !== undefined ? `set by ${configKey(heartbeatFrom.path)}` : `derived from ${configKey(heartbeatFrom.path)}`;
  const minimum = MIN_ELECTION_TIMEOUT_HEARTBEATS * heartbeat;
  const findings: RuleFindings[] = [];
  if (tuning.electionTimeoutMs !== undefined && election < minimum) {
    findings.push(
      errorFinding(
        configProblem(
          ["tuning", "electionTimeoutMs"],
          election,
          `etcd refuses an election-timeout below ${MIN_ELECTION_TIMEOUT_HEARTBEATS} × heartbeat-interval ` +
            `(${heartbeat} ms, ${heartbeatOrigin}) = ${minimum} ms; raise it to at least ${minimum} ` +
            `(etcd advises ${ELECTION_TIMEOUT_HEARTBEATS} × heartbeat-interval, ${ELECTION_TIMEOUT_HEARTBEATS * heartbeat} ms), or remove it to derive it`,
        ),
      ),
    );
  }
  if (election > MAX_ELECTION_TIMEOUT_MS) {
    const problem =
      tuning.electionTimeoutMs !== undefined
        ? configProblem(
            ["tuning", "electionTimeoutMs"],
            election,
            `above etcd's maximum election-timeout of ${MAX_ELECTION_TIMEOUT_MS} ms; lower it to ${MAX_ELECTION_TIMEOUT_MS} or less`,
          )
        : configProblem(
            heartbeatFrom.path,
            heartbeatFrom.value,
            `derives an election-timeout of ${election} ms (heartbeat-interval ${heartbeat} ms), above etcd's maximum of ` +
              `${MAX_ELECTION_TIMEOUT_MS} ms; lower it to at most ${MAX_ELECTION_TIMEOUT_MS / ELECTION_TIMEOUT_HEARTBEATS}`,
          );
    findings.push(errorFinding(problem));
  }
  return mergeFindings(findings);
}

/** An explicit backend quota: above 8 GiB etcd warns; above half the data volume a defrag no longer fits. */
export function checkQuotaBackend({ tuning, dataVolume }: TuningFields): RuleFindings {
  const quota = tuning.quotaBackendGiB;
  if (quota === undefined) return NO_FINDINGS;
  const path = ["tuning", "quotaBackendGiB"];
  const findings: RuleFindings[] = [];
  if (quota > MAX_QUOTA_BACKEND_GIB) {
    findings.push(
      warningFinding(
        configProblem(
          path,
          quota,
          `above ${MAX_QUOTA_BACKEND_GIB} GiB, etcd's suggested maximum (it warns at start-up; defrag, snapshots and a new ` +
            `member's catch-up slow down with the db); keep it at ${MAX_QUOTA_BACKEND_GIB} or less unless the load needs more`,
        ),
      ),
    );
  }
  const room = dataVolume.sizeGiB * QUOTA_SHARE_OF_DATA_VOLUME;
  if (quota > room) {
    findings.push(
      errorFinding(
        configProblem(
          path,
          quota,
          `the backend may fill at most ${QUOTA_SHARE_OF_DATA_VOLUME * 100}% of the ${dataVolume.sizeGiB} GiB data volume ` +
            `(${room} GiB), so a defrag's copy of the db and a snapshot from the leader still fit; lower it to ${room}, ` +
            `or raise ${configKey(["dataVolume", "sizeGiB"])} to ${Math.ceil(quota / QUOTA_SHARE_OF_DATA_VOLUME)}`,
        ),
      ),
    );
  }
  return mergeFindings(findings);
}
