import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { deriveTuning, MAX_QUOTA_BACKEND_BYTES } from "../../../src/core/etcd/tuning";
import { TUNING_SETTINGS } from "./fixtures";

const GiB = 1024 ** 3;

describe("deriveTuning: heartbeat and election timeout", () => {
  test("a fast network keeps etcd's defaults, 100 ms heartbeat and 1000 ms election timeout", () => {
    const tuning = deriveTuning({ ...TUNING_SETTINGS, peerRttMs: 2 }, 20);
    assert.equal(tuning.heartbeatIntervalMs, 100);
    assert.equal(tuning.electionTimeoutMs, 1000);
  });

  test("a slow network sets the heartbeat to the round-trip time and the election timeout to 10 heartbeats", () => {
    const tuning = deriveTuning({ ...TUNING_SETTINGS, peerRttMs: 250 }, 20);
    assert.equal(tuning.heartbeatIntervalMs, 250);
    assert.equal(tuning.electionTimeoutMs, 2500);
  });

  test("a fractional round-trip time rounds the heartbeat up to whole milliseconds", () => {
    assert.equal(deriveTuning({ ...TUNING_SETTINGS, peerRttMs: 150.2 }, 20).heartbeatIntervalMs, 151);
  });

  test("an overridden heartbeat is used, and the election timeout is derived from it", () => {
    const tuning = deriveTuning({ ...TUNING_SETTINGS, heartbeatIntervalMs: 300 }, 20);
    assert.equal(tuning.heartbeatIntervalMs, 300);
    assert.equal(tuning.electionTimeoutMs, 3000);
  });

  test("an overridden election timeout is used as given", () => {
    const tuning = deriveTuning({ ...TUNING_SETTINGS, peerRttMs: 250, electionTimeoutMs: 1500 }, 20);
    assert.equal(tuning.electionTimeoutMs, 1500);
  });

  test("a derived election timeout is always at least 5 heartbeats, as etcd requires", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 5000, noNaN: true }), (peerRttMs) => {
        const tuning = deriveTuning({ ...TUNING_SETTINGS, peerRttMs }, 20);
        return tuning.electionTimeoutMs >= 5 * tuning.heartbeatIntervalMs && tuning.heartbeatIntervalMs >= peerRttMs;
      }),
    );
  });
});

describe("deriveTuning: backend quota", () => {
  test("is half the data volume", () => {
    assert.equal(deriveTuning(TUNING_SETTINGS, 10).quotaBackendBytes, 5 * GiB);
  });

  test("stops at etcd's suggested maximum of 8 GiB", () => {
    assert.equal(deriveTuning(TUNING_SETTINGS, 100).quotaBackendBytes, 8 * GiB);
    assert.equal(MAX_QUOTA_BACKEND_BYTES, 8589934592);
  });

  test("an override in GiB wins over the volume size", () => {
    assert.equal(deriveTuning({ ...TUNING_SETTINGS, quotaBackendGiB: 4 }, 100).quotaBackendBytes, 4 * GiB);
  });

  test("a derived quota never exceeds half the volume nor 8 GiB", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16384 }), (dataVolumeGiB) => {
        const quota = deriveTuning(TUNING_SETTINGS, dataVolumeGiB).quotaBackendBytes;
        return quota <= (dataVolumeGiB * GiB) / 2 && quota <= 8 * GiB && Number.isInteger(quota);
      }),
    );
  });
});

describe("deriveTuning: pass-through settings", () => {
  test("snapshot count, compaction and request size come from the settings unchanged", () => {
    const tuning = deriveTuning(
      { ...TUNING_SETTINGS, snapshotCount: 25000, autoCompactionMode: "revision", autoCompactionRetention: "1000", maxRequestBytes: 2097152 },
      20,
    );
    assert.equal(tuning.snapshotCount, 25000);
    assert.equal(tuning.autoCompactionMode, "revision");
    assert.equal(tuning.autoCompactionRetention, "1000");
    assert.equal(tuning.maxRequestBytes, 2097152);
  });
});
