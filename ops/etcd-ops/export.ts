/**
 * `etcd-ops export --prefix <p> --out <file>`: every key under the prefix, read page by page at one
 * revision (a consistent point in time), written as an etcd-ops export file (export-format.ts).
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type { IKeyValue } from "etcd3";
import { connect, type ClusterAccess } from "./cluster-access";
import { ExportEncoder, type ExportedKey } from "./export-format";
import { keyAfter, prefixRange } from "./key-range";
import { PROGRESS_EVERY_KEYS, Progress, formatBytes } from "./progress";

export interface ExportOptions {
  /** Key prefix to export (text, UTF-8); empty for the whole keyspace. */
  readonly prefix: string;
  /** Where the file goes; written as `<out>.part` and renamed once complete. */
  readonly out: string;
}

/** Keys per range request (a page). */
export const EXPORT_PAGE_KEYS = 1000;

async function write(file: WriteStream, text: string): Promise<void> {
  if (text !== "" && !file.write(text)) await once(file, "drain");
}

/** Exports the prefix; exit code 0, or throws (leaving no file behind). */
export async function runExport(access: ClusterAccess, options: ExportOptions): Promise<number> {
  const client = connect(access);
  const partial = `${options.out}.part`;
  const file = createWriteStream(partial, { mode: 0o600 });
  const started = Date.now();
  const progress = new Progress("export", PROGRESS_EVERY_KEYS);
  try {
    const prefix = Buffer.from(options.prefix, "utf8");
    const { key: firstKey, rangeEnd } = prefixRange(prefix);
    const status = await client.maintenance.status();
    let page = await client.kv.range({ key: firstKey, range_end: rangeEnd, limit: EXPORT_PAGE_KEYS });
    // The first page fixes the revision: every later page reads the store as it was then.
    const revision = page.header.revision;
    const encoder = new ExportEncoder({
      prefix: prefix.toString("base64"),
      revision,
      clusterId: page.header.cluster_id,
      memberId: page.header.member_id,
      etcdVersion: status.version,
      exportedAt: new Date().toISOString(),
    });
    await write(file, encoder.opening());
    let keys = 0;
    let valueBytes = 0;
    for (;;) {
      for (const kv of page.kvs) {
        await write(file, encoder.add(exportedKey(kv)));
        keys += 1;
        valueBytes += kv.value.length;
        progress.update(keys, () => `${keys} keys (${formatBytes(valueBytes)} of values)`);
      }
      if (!page.more || page.kvs.length === 0) break;
      const next = keyAfter(page.kvs[page.kvs.length - 1].key);
      page = await client.kv.range({ key: next, range_end: rangeEnd, limit: EXPORT_PAGE_KEYS, revision });
    }
    await write(file, encoder.closing());
    file.end();
    await finished(file);
    await rename(partial, options.out);
    process.stdout.write(
      `exported ${keys} keys (${formatBytes(valueBytes)} of values) under prefix "${options.prefix}" ` +
        `at revision ${revision} to ${options.out} in ${Date.now() - started} ms\n`,
    );
    return 0;
  } finally {
    file.destroy();
    client.close();
    await rm(partial, { force: true });
  }
}

function exportedKey(kv: IKeyValue): ExportedKey {
  return {
    key: kv.key.toString("base64"),
    value: kv.value.toString("base64"),
    createRevision: kv.create_revision,
    modRevision: kv.mod_revision,
    version: kv.version,
    lease: kv.lease,
  };
}
