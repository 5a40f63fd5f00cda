import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../../src/core/config";
import { configWith, onlyProblemOf } from "./fixtures";

describe("election timeout and heartbeat", () => {
  it("refuses an election timeout below 5 heartbeats, naming where the heartbeat came from", () => {
    assert.deepEqual(onlyProblemOf(configWith({ tuning: { heartbeatIntervalMs: 200, electionTimeoutMs: 800 } })), {
      key: "etcd-cluster:tuning.electionTimeoutMs",
      message:
        "etcd-cluster:tuning.electionTimeoutMs is 800: etcd refuses an election-timeout below 5 × heartbeat-interval " +
        "(200 ms, set by etcd-cluster:tuning.heartbeatIntervalMs) = 1000 ms; raise it to at least 1000 " +
        "(etcd advises 10 × heartbeat-interval, 2000 ms), or remove it to derive it",
    });
  });

  it("checks an election-timeout override against the heartbeat derived from the peer RTT", () => {
    const problem = onlyProblemOf(configWith({ tuning: { peerRttMs: 300, electionTimeoutMs: 1000 } }));
    assert.equal(problem.key, "etcd-cluster:tuning.electionTimeoutMs");
    assert.match(problem.message, /\(300 ms, derived from etcd-cluster:tuning\.peerRttMs\) = 1500 ms; raise it to at least 1500/);
  });

  it("accepts exactly 5 heartbeats, as etcd does", () => {
    const raw = configWith({ tuning: { heartbeatIntervalMs: 200, electionTimeoutMs: 1000 } });
    assert.equal(resolveClusterConfig(raw, "test").config.tuning.electionTimeoutMs, 1000);
  });

  it("refuses a peer RTT whose derived election timeout exceeds etcd's 50000 ms", () => {
    assert.deepEqual(onlyProblemOf(configWith({ tuning: { peerRttMs: 6000 } })), {
      key: "etcd-cluster:tuning.peerRttMs",
      message:
        "etcd-cluster:tuning.peerRttMs is 6000: derives an election-timeout of 60000 ms (heartbeat-interval 6000 ms), " +
        "above etcd's maximum of 50000 ms; lower it to at most 5000",
    });
  });

  it("refuses an election-timeout override above 50000 ms", () => {
    assert.deepEqual(onlyProblemOf(configWith({ tuning: { electionTimeoutMs: 60000 } })), {
      key: "etcd-cluster:tuning.electionTimeoutMs",
      message: "etcd-cluster:tuning.electionTimeoutMs is 60000: above etcd's maximum election-timeout of 50000 ms; lower it to 50000 or less",
    });
  });
});

describe("backend quota", () => {
  it("warns about a quota above etcd's suggested 8 GiB", () => {
    const { warnings } = resolveClusterConfig(configWith({ tuning: { quotaBackendGiB: 12 } }), "test");
    assert.deepEqual(warnings, [
      {
        key: "etcd-cluster:tuning.quotaBackendGiB",
        message:
          "etcd-cluster:tuning.quotaBackendGiB is 12: above 8 GiB, etcd's suggested maximum (it warns at start-up; defrag, " +
          "snapshots and a new member's catch-up slow down with the db); keep it at 8 or less unless the load needs more",
      },
    ]);
  });

  it("refuses a quota above half the data volume, leaving no room for a defrag", () => {
    const problem = onlyProblemOf(configWith({ dataVolume: { sizeGiB: 10 }, tuning: { quotaBackendGiB: 6 } }));
    assert.deepEqual(problem, {
      key: "etcd-cluster:tuning.quotaBackendGiB",
      message:
        "etcd-cluster:tuning.quotaBackendGiB is 6: the backend may fill at most 50% of the 10 GiB data volume (5 GiB), " +
        "so a defrag's copy of the db and a snapshot from the leader still fit; lower it to 5, " +
        "or raise etcd-cluster:dataVolume.sizeGiB to 12",
    });
  });
});

describe("compaction", () => {
  it("refuses a duration as the retention in revision mode", () => {
    const raw = configWith({ tuning: { autoCompactionMode: "revision", autoCompactionRetention: "1h" } });
    assert.deepEqual(onlyProblemOf(raw), {
      key: "etcd-cluster:tuning.autoCompactionRetention",
      message:
        'etcd-cluster:tuning.autoCompactionRetention is "1h": in revision mode this is a count of revisions to keep; ' +
        'write a whole number such as "10000", or "0" to leave compaction to the client',
    });
  });

  it("refuses a retention that is not a duration in periodic mode", () => {
    assert.equal(onlyProblemOf(configWith({ tuning: { autoCompactionRetention: "an hour" } })).key, "etcd-cluster:tuning.autoCompactionRetention");
  });

  it("takes a retention written as a YAML number as etcd's string", () => {
    const { config } = resolveClusterConfig(configWith({ tuning: { autoCompactionRetention: 5 } }), "test");
    assert.equal(config.tuning.autoCompactionRetention, "5");
  });
});
