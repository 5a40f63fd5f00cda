import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatHealthTable } from "../../../ops/etcd-ops/health";

describe("formatHealthTable", () => {
  it("shows one aligned row per member: healthy ones with their status, others with why", () => {
    const table = formatHealthTable([
      {
        endpoint: "https://10.0.0.10:2379",
        healthy: true,
        status: {
          memberId: "40e23009e88b7919",
          isLeader: true,
          revision: "2504",
          dbSizeBytes: 192512,
          dbSizeInUseBytes: 98304,
          raftTerm: "2",
          raftIndex: "2510",
          isLearner: false,
          version: "3.5.16",
        },
        tookMs: 9,
      },
      { endpoint: "https://10.0.1.10:2379", healthy: false, problem: "no status: 14 UNAVAILABLE", tookMs: 78 },
    ]);
    assert.deepEqual(table.split("\n"), [
      "ENDPOINT                HEALTHY  LEADER  MEMBER ID         REVISION  DB SIZE    RAFT TERM  VERSION  TOOK   PROBLEM",
      "https://10.0.0.10:2379  yes      yes     40e23009e88b7919  2504      188.0 KiB  2          3.5.16   9 ms",
      "https://10.0.1.10:2379  NO       ?       ?                 ?         ?          ?          ?        78 ms  no status: 14 UNAVAILABLE",
    ]);
  });
});
