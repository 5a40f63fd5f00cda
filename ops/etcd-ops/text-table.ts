/** Aligned plain-text tables for the terminal: a header row, then one row per item. */

/** The rows under `columns`, each column as wide as its widest cell, two spaces apart, no trailing blanks. */
export function formatTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [columns, ...rows];
  const widths = columns.map((_, column) => Math.max(...all.map((cells) => (cells[column] ?? "").length)));
  return all
    .map((cells) =>
      cells
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
