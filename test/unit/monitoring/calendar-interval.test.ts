import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { calendarIntervalSeconds } from "../../../src/core/formats/calendar-interval";

describe("calendarIntervalSeconds: the longest gap between two runs of an OnCalendar schedule", () => {
  it("reads systemd's shorthands", () => {
    assert.deepEqual(["minutely", "hourly", "daily", "weekly"].map(calendarIntervalSeconds), [60, 3600, 86400, 604800]);
  });

  it("reads minute steps, with or without the date and seconds", () => {
    assert.equal(calendarIntervalSeconds("*:0/30"), 1800);
    assert.equal(calendarIntervalSeconds("*:00/15"), 900);
    assert.equal(calendarIntervalSeconds("*-*-* *:0/30:00"), 1800);
  });

  it("takes the longest gap when a step does not divide the hour", () => {
    // :00, :07 … :56, then :00 again after 4 minutes: the longest gap is 7 minutes.
    assert.equal(calendarIntervalSeconds("*:0/7"), 420);
  });

  it("counts the gap across midnight of hour lists and single daily runs", () => {
    assert.equal(calendarIntervalSeconds("0/6:00"), 21600);
    assert.equal(calendarIntervalSeconds("0,18:00"), 18 * 3600);
    assert.equal(calendarIntervalSeconds("02:30"), 86400);
    assert.equal(calendarIntervalSeconds("*:05"), 3600);
  });

  it("does not guess weekdays, dates or ranges", () => {
    assert.equal(calendarIntervalSeconds("Mon *-*-* 00:00"), undefined);
    assert.equal(calendarIntervalSeconds("*-*-01 00:00"), undefined);
    assert.equal(calendarIntervalSeconds("1..3:00"), undefined);
  });
});
