import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../../src/core/config";
import { configWith, onlyProblemOf } from "./fixtures";

describe("gp3 volume limits", () => {
  it("refuses IOPS above gp3's 16000", () => {
    assert.deepEqual(onlyProblemOf(configWith({ dataVolume: { iops: 20000 } })), {
      key: "etcd-cluster:dataVolume.iops",
      message: "etcd-cluster:dataVolume.iops is 20000: outside gp3's range of 3000 to 16000 IOPS; set a value in that range",
    });
  });

  it("refuses IOPS below gp3's 3000 baseline", () => {
    assert.deepEqual(onlyProblemOf(configWith({ walVolume: { iops: 1000 } })), {
      key: "etcd-cluster:walVolume.iops",
      message: "etcd-cluster:walVolume.iops is 1000: outside gp3's range of 3000 to 16000 IOPS; set a value in that range",
    });
  });

  it("refuses more than 500 IOPS per GiB, offering lower IOPS or a larger volume", () => {
    assert.deepEqual(onlyProblemOf(configWith({ dataVolume: { sizeGiB: 8, iops: 6000 } })), {
      key: "etcd-cluster:dataVolume.iops",
      message:
        "etcd-cluster:dataVolume.iops is 6000: above gp3's 500 IOPS per GiB, which allows at most 4000 on 8 GiB; " + "lower it to 4000, or raise sizeGiB to 12",
    });
  });

  it("gives a small volume the 3000 IOPS baseline whatever its size", () => {
    const { config } = resolveClusterConfig(configWith({ walVolume: { sizeGiB: 1 } }), "test");
    assert.deepEqual(config.walVolume, { sizeGiB: 1, iops: 3000, throughputMiBps: 125 });
  });

  it("refuses throughput above gp3's 1000 MiB/s", () => {
    assert.deepEqual(onlyProblemOf(configWith({ walVolume: { iops: 16000, throughputMiBps: 1200 } })), {
      key: "etcd-cluster:walVolume.throughputMiBps",
      message: "etcd-cluster:walVolume.throughputMiBps is 1200: outside gp3's range of 125 to 1000 MiB/s; set a value in that range",
    });
  });

  it("refuses throughput above IOPS / 4, offering lower throughput or more IOPS", () => {
    assert.deepEqual(onlyProblemOf(configWith({ walVolume: { throughputMiBps: 1000 } })), {
      key: "etcd-cluster:walVolume.throughputMiBps",
      message:
        "etcd-cluster:walVolume.throughputMiBps is 1000: above gp3's 0.25 MiB/s per IOPS, which allows at most " +
        "750 MiB/s with 3000 IOPS; lower it to 750, or raise iops to 4000",
    });
  });

  it("refuses a size outside 1 to 16384 GiB", () => {
    assert.deepEqual(onlyProblemOf(configWith({ dataVolume: { sizeGiB: 20000 } })), {
      key: "etcd-cluster:dataVolume.sizeGiB",
      message: "etcd-cluster:dataVolume.sizeGiB is 20000: outside gp3's range of 1 to 16384 GiB; set a value in that range",
    });
  });

  it("refuses a fractional size", () => {
    assert.deepEqual(onlyProblemOf(configWith({ dataVolume: { sizeGiB: 64.5 } })), {
      key: "etcd-cluster:dataVolume.sizeGiB",
      message: "etcd-cluster:dataVolume.sizeGiB is 64.5: expected a whole number; write it without quotes or decimals",
    });
  });
});
