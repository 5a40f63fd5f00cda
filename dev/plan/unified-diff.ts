/**
 * A unified diff of two texts, the form `git diff` prints: the per-member file diffs of
 * `npm run plan -- <stack> --diff <ref>`, and test failures that compare long texts (golden plans),
 * so a reviewer sees which lines changed rather than two whole files.
 */

interface Edit {
  readonly kind: " " | "-" | "+";
  readonly line: string;
}

/** Above this many line pairs the middle of the texts is shown replaced wholesale (no LCS table). */
const MAX_LCS_CELLS = 4_000_000;

function keep(line: string): Edit {
  return { kind: " ", line };
}

/** Longest-common-subsequence edits of the part of the texts that differs. */
function middleEdits(expected: readonly string[], actual: readonly string[]): Edit[] {
  const removed = expected.map((line): Edit => ({ kind: "-", line }));
  const added = actual.map((line): Edit => ({ kind: "+", line }));
  if (expected.length * actual.length > MAX_LCS_CELLS) return [...removed, ...added];
  const width = actual.length + 1;
  const common = new Uint32Array((expected.length + 1) * width);
  for (let i = expected.length - 1; i >= 0; i--) {
    for (let j = actual.length - 1; j >= 0; j--) {
      const below = common[(i + 1) * width + j];
      const right = common[i * width + j + 1];
      common[i * width + j] = expected[i] === actual[j] ? common[(i + 1) * width + j + 1] + 1 : Math.max(below, right);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < expected.length || j < actual.length) {
    if (i < expected.length && j < actual.length && expected[i] === actual[j]) {
      edits.push(keep(expected[i++]));
      j++;
    } else if (i < expected.length && (j === actual.length || common[(i + 1) * width + j] >= common[i * width + j + 1])) {
      edits.push(removed[i++]);
    } else {
      edits.push(added[j++]);
    }
  }
  return edits;
}

function edits(expected: readonly string[], actual: readonly string[]): Edit[] {
  let start = 0;
  while (start < expected.length && start < actual.length && expected[start] === actual[start]) start++;
  let endExpected = expected.length;
  let endActual = actual.length;
  while (endExpected > start && endActual > start && expected[endExpected - 1] === actual[endActual - 1]) {
    endExpected--;
    endActual--;
  }
  return [
    ...expected.slice(0, start).map(keep),
    ...middleEdits(expected.slice(start, endExpected), actual.slice(start, endActual)),
    ...expected.slice(endExpected).map(keep),
  ];
}

/**
 * The unified diff from `expected` to `actual` with `context` unchanged lines around each change,
 * headed `--- <expectedLabel>` / `+++ <actualLabel>`; "" when the texts are equal.
 */
export function unifiedDiff(expected: string, actual: string, labels: { readonly expected: string; readonly actual: string }, context = 3): string {
  const script = edits(expected.split("\n"), actual.split("\n"));
  const changed = script.flatMap((edit, index) => (edit.kind === " " ? [] : [index]));
  if (changed.length === 0) return "";

  const lines = [`--- ${labels.expected}`, `+++ ${labels.actual}`];
  let hunkStart = 0;
  while (hunkStart < changed.length) {
    let hunkEnd = hunkStart;
    while (hunkEnd + 1 < changed.length && changed[hunkEnd + 1] - changed[hunkEnd] <= 2 * context) hunkEnd++;
    const from = Math.max(0, changed[hunkStart] - context);
    const to = Math.min(script.length, changed[hunkEnd] + context + 1);
    const before = script.slice(0, from);
    const hunk = script.slice(from, to);
    const lineNumber = (kinds: string) => before.filter((edit) => kinds.includes(edit.kind)).length + 1;
    const count = (kinds: string) => hunk.filter((edit) => kinds.includes(edit.kind)).length;
    lines.push(`@@ -${lineNumber(" -")},${count(" -")} +${lineNumber(" +")},${count(" +")} @@`);
    lines.push(...hunk.map((edit) => `${edit.kind}${edit.line}`));
    hunkStart = hunkEnd + 1;
  }
  return lines.join("\n");
}
