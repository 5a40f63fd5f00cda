/**
 * Reads a recorded resource's inputs for a request mapping and remembers what it read, so a test
 * can name every input a mapping left unread: a property someone adds to a resource fails the
 * layer until its mapping sends it (or says why the provider keeps it to itself).
 */
import { isRecordedList, isRecordedObject, SecretValue, UnknownValue, type RecordedObject, type RecordedValue } from "../../dev/mock-runtime/recorded-value";

/** A recorded value as the provider hands it to AWS: secrets revealed; unknowns refused (update runs only). */
export function plainValue(value: RecordedValue | undefined, where: string): unknown {
  if (value instanceof SecretValue) return plainValue(value.value, where);
  if (value instanceof UnknownValue) throw new Error(`${where} is unknown: check update runs, where every value is known`);
  if (isRecordedList(value)) return value.map((item, index) => plainValue(item, `${where}[${index}]`));
  if (isRecordedObject(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plainValue(inner, `${where}.${key}`)]));
  return value ?? undefined;
}

export class InputReader {
  constructor(
    private readonly values: RecordedObject,
    private readonly prefix = "",
    private readonly consumed = new Set<string>(),
  ) {}

  private pathOf(key: string): string {
    return this.prefix === "" ? key : `${this.prefix}.${key}`;
  }

  /** The plain value of `key` (and everything below it), marked as sent. */
  value(key: string): unknown {
    this.consumed.add(this.pathOf(key));
    return plainValue(this.values[key], this.pathOf(key));
  }

  /** A reader of the nested object at `key`; undefined when absent. */
  object(key: string): InputReader | undefined {
    const stored = this.values[key];
    const inner = stored instanceof SecretValue ? stored.value : stored;
    return isRecordedObject(inner) ? new InputReader(inner, this.pathOf(key), this.consumed) : undefined;
  }

  /** Readers of the objects in the list at `key`; empty when absent. */
  items(key: string): InputReader[] {
    const list = this.values[key];
    if (!Array.isArray(list)) return [];
    return list.filter(isRecordedObject).map((item) => new InputReader(item, `${this.pathOf(key)}[]`, this.consumed));
  }

  /** Marks `key` as an input the provider acts on itself and sends to no API; `why` documents it. */
  providerOnly(key: string, why: string): void {
    void why;
    this.consumed.add(this.pathOf(key));
  }

  /** Input paths (`a.b`, `list[].c`) present in the inputs that nothing read. */
  unread(): string[] {
    const unread: string[] = [];
    const covered = (path: string) => [...this.consumed].some((done) => path === done || path.startsWith(`${done}.`) || path.startsWith(`${done}[]`));
    const walk = (value: RecordedValue, path: string): void => {
      if (covered(path)) return;
      if (isRecordedObject(value) && Object.keys(value).length > 0) {
        for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
      } else if (isRecordedList(value) && value.some(isRecordedObject)) {
        for (const item of value) walk(item, `${path}[]`);
      } else if (!unread.includes(path)) {
        unread.push(path);
      }
    };
    for (const [key, value] of Object.entries(this.values)) walk(value, this.pathOf(key));
    return unread;
  }
}
