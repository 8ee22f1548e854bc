import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detach, FLUSH_BYTES, SpillPartitions } from './spill-partitions';

/** A probe's answer: its payload and the values added under its key, in the order added. */
export type GroupResult<P> = (payload: P, values: readonly string[]) => void;

const NO_VALUES: readonly string[] = [];

/**
 * A join of keys that carry many rows each (a record's field history changes) with a later pass
 * over the keys' records, whose memory stays flat however large the export: values are grouped by
 * key in memory up to `memoryLimit` values in all; past that, values and later probes are
 * hash-partitioned into temporary files and joined one partition at a time at `finish()`. Unlike
 * SpillJoin, which folds a key's values into one string (one entry per id), every value is kept, in
 * the order added, so a key with many rows costs an array push per row, not a copy of its string.
 * A probe's payload is handed back as it is in memory, and as JSON through the files.
 */
export class GroupSpill<P> extends SpillPartitions<'v'> {
  private groups: Map<string, string[]> | null = new Map();
  private held = 0;

  constructor(
    private readonly name: string,
    private readonly memoryLimit = 100_000,
    partitions = 64
  ) {
    super(partitions, 'v');
  }

  // A key is written JSON-quoted, so neither a tab nor a line feed in it can split its line.
  private write(kind: 'v' | 'p', key: string, text: string): void {
    const p = this.partition(key);
    const slot = kind === 'v' ? p : p + this.partitions;
    const line = `${JSON.stringify(key)}\t${text}\n`;
    const bytes = Buffer.byteLength(line, 'utf8');
    if ((this.used[slot] ?? 0) + bytes > FLUSH_BYTES) this.flush(slot);
    if (bytes > FLUSH_BYTES) {
      fs.appendFileSync(this.file(kind, p), line);
      return;
    }
    const buffer = (this.buffers[slot] ??= Buffer.allocUnsafe(FLUSH_BYTES));
    const at = this.used[slot] ?? 0;
    this.used[slot] = at + buffer.write(line, at);
  }

  /** Adds a value (no line feed) under `key`; every value must come before the probes. */
  add(key: string, value: string): void {
    if (!this.groups) return this.write('v', key, value);
    const group = this.groups.get(key);
    // A parsed field is often a slice of its whole CSV chunk: keep copies, not the chunk.
    if (group) group.push(detach(value));
    else this.groups.set(detach(key), [detach(value)]);
    if (++this.held > this.memoryLimit) this.spill();
  }

  private spill(): void {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `sdg-${this.name}-`));
    const groups = this.groups ?? new Map<string, string[]>();
    this.groups = null;
    for (const [key, values] of groups) for (const value of values) this.write('v', key, value);
  }

  /** Asks for the values of `key`; `payload` (JSON-serializable) comes back with them. */
  probe(key: string, payload: P, onResult: GroupResult<P>): void {
    if (this.groups) onResult(payload, this.groups.get(key) ?? NO_VALUES);
    else this.write('p', key, JSON.stringify(payload));
  }

  /** Answers the spilled probes, partition by partition, and removes the temporary files. */
  finish(onResult: GroupResult<P>): void {
    if (!this.dir) return;
    try {
      for (let slot = 0; slot < this.partitions * 2; slot++) this.flush(slot);
      for (let p = 0; p < this.partitions; p++) {
        const groups = new Map<string, string[]>();
        for (const [key, value] of this.lines('v', p)) {
          const group = groups.get(key);
          if (group) group.push(value);
          else groups.set(key, [value]);
        }
        for (const [key, payload] of this.lines('p', p))
          onResult(JSON.parse(payload) as P, groups.get(key) ?? NO_VALUES);
      }
    } finally {
      this.close();
    }
  }

  private *lines(kind: 'v' | 'p', partition: number): Generator<[string, string]> {
    const file = this.file(kind, partition);
    if (!fs.existsSync(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const line = text.slice(start, end);
      start = end + 1;
      // A JSON-quoted key holds no raw tab: the first one ends it.
      const tab = line.indexOf('\t');
      yield [JSON.parse(line.slice(0, tab)) as string, line.slice(tab + 1)];
    }
  }

  /** Removes the temporary files (finish does; call it when a pass stops before finishing). */
  close(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.groups = new Map();
    this.held = 0;
  }
}
