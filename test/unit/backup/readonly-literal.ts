/** Reading the values the rendered backup and restore scripts bind at their top. */

/**
 * The literal a `readonly NAME=…` line of `script` assigns, as written (a shell-quoted value keeps
 * its quotes); undefined when the script has no such line.
 */
export function readonlyLiteral(script: string, name: string): string | undefined {
  return new RegExp(`^readonly ${name}=(.*)$`, "m").exec(script)?.[1];
}
