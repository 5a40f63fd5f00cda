/** Reading an export file from disk, one line at a time, through the checking ExportDecoder. */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { ExportDecoder, ExportFileError, type ExportSummary, type ExportedKey } from "./export-format";

/**
 * Reads the whole file, calling `onKey` for each key in order, and returns the verified summary.
 * Throws ExportFileError naming the file and line on any defect; a defect can surface only after
 * earlier keys were passed on, so callers that must not act on a bad file call it twice (verify
 * with a no-op `onKey` first).
 */
export async function readExportFile(path: string, onKey: (entry: ExportedKey) => Promise<void> | void): Promise<ExportSummary> {
  const decoder = new ExportDecoder();
  const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const entry = decoder.push(line);
      if (entry !== undefined) await onKey(entry);
    }
    return decoder.finish();
  } catch (error) {
    if (error instanceof ExportFileError) throw new ExportFileError(`export file ${path}: ${error.message}`);
    throw error;
  } finally {
    lines.close();
  }
}

/** Checks the whole file without acting on it: the summary of an intact file, or ExportFileError. */
export function verifyExportFile(path: string): Promise<ExportSummary> {
  return readExportFile(path, () => undefined);
}
