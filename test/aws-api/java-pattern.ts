/**
 * AWS's models write patterns in Java's regex dialect, matched against the whole value (Java's
 * `Matcher.matches`). This turns one into an anchored JavaScript RegExp with the `u` flag (so
 * `\p{L}`, `\p{N}`, `\p{Z}` are Unicode property classes as in Java). Java constructs with no
 * JavaScript equivalent are translated where the meaning is identical, and refused otherwise: a
 * pattern this cannot translate faithfully fails the test instead of checking something else.
 */

/** Java property classes that JavaScript spells differently (java.util.regex.Pattern, "Classes for Unicode"). */
const PROPERTY_TRANSLATIONS: ReadonlyArray<readonly [string, string]> = [
  // Java's \p{all} is any code point; JavaScript's binary property Any is the same set.
  ["\\p{all}", "\\p{Any}"],
];

/** Java-only syntax: possessive quantifiers, atomic groups, POSIX classes in \p{}, \Q…\E, \A \Z \z. */
const UNSUPPORTED =
  /(\*\+|\+\+|\?\+|\}\+|\(\?>|\\p\{(Alpha|Digit|Alnum|Punct|Graph|Print|Blank|Cntrl|XDigit|Space|Lower|Upper|ASCII|java\w+)\}|\\Q|\\E|\\A|\\Z|\\z)/;

const compiled = new Map<string, RegExp>();

/** The model pattern as an anchored JavaScript RegExp; throws for Java syntax it cannot translate. */
export function modelPatternRegExp(javaPattern: string): RegExp {
  const cached = compiled.get(javaPattern);
  if (cached) return cached;
  const unsupported = UNSUPPORTED.exec(javaPattern);
  if (unsupported) throw new Error(`model pattern ${javaPattern} uses Java syntax ${unsupported[0]} that has no JavaScript equivalent here`);
  let source = javaPattern;
  for (const [java, javascript] of PROPERTY_TRANSLATIONS) source = source.split(java).join(javascript);
  const regExp = new RegExp(`^(?:${source})$`, "u");
  compiled.set(javaPattern, regExp);
  return regExp;
}
