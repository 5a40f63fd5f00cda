/** Progress lines on stderr (stdout stays for results), and byte counts people can read. */

/** A progress line on stderr every this many keys (export and import). */
export const PROGRESS_EVERY_KEYS = 1000;

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Writes `<label>: <detail>` to stderr each time the count passes another multiple of `step`. */
export class Progress {
  private nextReportAt: number;

  constructor(
    private readonly label: string,
    private readonly step: number,
  ) {
    this.nextReportAt = step;
  }

  /** Reports when `count` reached the next step; `detail` is only computed then. */
  update(count: number, detail: () => string): void {
    if (count < this.nextReportAt) return;
    process.stderr.write(`${this.label}: ${detail()}\n`);
    this.nextReportAt = (Math.floor(count / this.step) + 1) * this.step;
  }
}
