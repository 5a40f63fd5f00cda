/**
 * The longest gap between two runs of a systemd `OnCalendar` schedule, for the backup-freshness
 * alerts: an alert fires when no snapshot arrived in twice this gap, so the gap must be known
 * when the program renders the alert thresholds (CloudWatch alarm periods are fixed at deploy time).
 *
 * Understood: the shorthands `minutely`, `hourly`, `daily`, `weekly`, and daily time patterns
 * `[*-*-* ]HOUR:MINUTE[:SECOND]` whose HOUR and MINUTE are `*`, a number, `start/step` or a comma
 * list of those (e.g. `*:0/30`, `*:00/15`, `0/6:00`, `02:30`, `0,12:00`); SECOND is one number.
 * Anything else (weekdays, dates, ranges) is not derived: `undefined`.
 */

const SHORTHAND_SECONDS: Readonly<Record<string, number>> = {
  minutely: 60,
  hourly: 3600,
  daily: 86400,
  weekly: 604800,
};

const MINUTES_PER_DAY = 1440;

/** The values 0..limit-1 one field (`*`, `n`, `start/step`, comma list) selects; undefined if not understood. */
function fieldValues(field: string, limit: number): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const match = /^(\*|\d{1,2})(?:\/(\d{1,2}))?$/.exec(part);
    if (match === null) return undefined;
    const start = match[1] === "*" ? 0 : Number(match[1]);
    const step = match[2] === undefined ? (match[1] === "*" ? 1 : limit) : Number(match[2]);
    if (start >= limit || step === 0) return undefined;
    for (let value = start; value < limit; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/** Seconds of the longest gap between two consecutive runs of `schedule`, or undefined when not understood. */
export function calendarIntervalSeconds(schedule: string): number | undefined {
  const expression = schedule.trim();
  const shorthand = SHORTHAND_SECONDS[expression];
  if (shorthand !== undefined) return shorthand;
  const time = /^(?:\*-\*-\* )?([^: ]+):([^: ]+)(?::(\d{1,2}))?$/.exec(expression);
  if (time === null) return undefined;
  const hours = fieldValues(time[1], 24);
  const minutes = fieldValues(time[2], 60);
  if (hours === undefined || minutes === undefined || hours.length === 0 || minutes.length === 0) return undefined;
  const runs = hours.flatMap((hour) => minutes.map((minute) => hour * 60 + minute));
  // The gap across midnight: from the day's last run to the next day's first.
  const gaps = runs.map((run, index) => (index + 1 < runs.length ? runs[index + 1] : runs[0] + MINUTES_PER_DAY) - run);
  return Math.max(...gaps) * 60;
}

/** The backup schedule's longest gap, seconds; the config check refuses a schedule it cannot derive. */
export function backupIntervalSeconds(schedule: string): number {
  const seconds = calendarIntervalSeconds(schedule);
  if (seconds === undefined) throw new Error(`backup schedule "${schedule}" has no derivable interval (src/core/config refuses it)`);
  return seconds;
}
