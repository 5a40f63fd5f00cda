/** The key range of a prefix in etcd's terms: `[key, range_end)`. */

/** A range request's `key` and `range_end`. */
export interface KeyRange {
  readonly key: Buffer;
  readonly rangeEnd: Buffer;
}

/**
 * Every key starting with `prefix` (clientv3's `WithPrefix`): range_end is the prefix with its last
 * byte below 0xff incremented (trailing 0xff bytes dropped). An empty or all-0xff prefix has no upper
 * bound: etcd reads `range_end` "\0" as "every key from `key` on", and the empty prefix starts at "\0".
 */
export function prefixRange(prefix: Buffer): KeyRange {
  for (let index = prefix.length - 1; index >= 0; index -= 1) {
    if (prefix[index] < 0xff) {
      const rangeEnd = Buffer.from(prefix.subarray(0, index + 1));
      rangeEnd[index] += 1;
      return { key: prefix, rangeEnd };
    }
  }
  return { key: prefix.length === 0 ? Buffer.from([0]) : prefix, rangeEnd: Buffer.from([0]) };
}

/** The smallest key after `key`: where the next page of a range starts. */
export function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}
