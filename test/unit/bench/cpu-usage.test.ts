import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { busyPercent, machineTicks, processCpuSeconds } from "../../../bench/cluster/cpu-usage";

describe("CPU time from /proc", () => {
  it("a process's CPU seconds are utime plus stime, past a command name holding spaces and parentheses", () => {
    const stat = "4242 (etcd (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 566 0 0 20 0 12 0 100 0 0";
    assert.equal(processCpuSeconds(stat), 18);
  });

  it("busy ticks exclude idle and iowait", () => {
    assert.deepEqual(machineTicks("cpu  100 10 50 800 40 5 5 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"), { busy: 170, total: 1010 });
  });

  it("the machine's busy share is the busy ticks' share of all ticks between two readings", () => {
    const before = "cpu  100 0 100 800 0 0 0 0 0 0\n";
    const after = "cpu  250 0 200 950 0 0 0 0 0 0\n";
    assert.equal(busyPercent(before, after), 62.5);
  });
});
