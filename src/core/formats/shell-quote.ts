/**
 * POSIX single-quote quoting: the value reaches the command byte for byte, whatever it holds
 * (spaces, `$`, backquotes, quotes). Rendered scripts embed every parameter through it.
 */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
