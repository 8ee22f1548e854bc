import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detach, FLUSH_BYTES, SpillPartitions } from './spill-partitions';

/** Callback for a probe: its payload, whether its key was on the key side, and the key's value. */
export type ProbeResult = (payload: string, found: boolean, value: string) => void;

/** How a key's value combines with a later value for the same key (default: the later wins). */
export type MergeValues = (earlier: string, later: string) => string;

/**
 * An exact membership join whose memory stays flat however large the export: keys (record ids
 * with audit events, synthetic account ids), each with an optional value (when a record entered
 * its status), are held in memory up to `memoryLimit`; past that,
 * keys and later probes are hash-partitioned into temporary files and joined one partition at a
 * time at `finish()`. Probes made before the spill are answered at once.
 */
export class SpillJoin extends SpillPartitions<'k'> {
  private keys: Map<string, string> | null = new Map();

  constructor(
    private readonly name: string,
    private readonly memoryLimit = 100_000,
    partitions = 256,
    private readonly merge: MergeValues = (_earlier, later) => later
  ) {
    super(partitions, 'k');
  }

  /** Writes `key\tvalue\n` to the key's partition (no joined string per line: two writes). */
  private write(kind: 'k' | 'p', key: string, value: string): void {
    const p = this.partition(key);
    const slot = kind === 'k' ? p : p + this.partitions;
    const bytes = (key.length + value.length) * 3 + 2;
    if (bytes > FLUSH_BYTES) {
      this.flush(slot);
      fs.appendFileSync(this.file(kind, p), `${key}\t${value}\n`);
      return;
    }
    if ((this.used[slot] ?? 0) + bytes > FLUSH_BYTES) this.flush(slot);
    const buffer = (this.buffers[slot] ??= Buffer.allocUnsafe(FLUSH_BYTES));
    let at = this.used[slot] ?? 0;
    at += buffer.write(key, at);
    buffer[at++] = 9;
    at += buffer.write(value, at);
    buffer[at++] = 10;
    this.used[slot] = at;
  }

  /**
   * Adds a key (all keys must come before the probes that should find them), with a value (no
   * newlines) merged into the key's earlier one in the order added.
   */
  add(key: string, value = ''): void {
    if (this.keys) {
      const earlier = this.keys.get(key);
      const merged = earlier === undefined ? value : this.merge(earlier, value);
      if (earlier !== undefined) {
        if (merged !== earlier) this.keys.set(key, detach(merged));
        return;
      }
      // A parsed field is often a slice of its whole CSV chunk; keeping the slice would keep the
      // chunk, so keep a copy of the id.
      this.keys.set(detach(key), value === '' ? '' : detach(value));
      if (this.keys.size > this.memoryLimit) this.spill();
    } else this.write('k', key, value);
  }

  private spill(): void {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `sdg-${this.name}-`));
    const keys = this.keys ?? new Map<string, string>();
    this.keys = null;
    for (const [key, value] of keys) this.write('k', key, value);
  }

  /** Asks whether `key` was added; `payload` (no newlines) comes back with the answer. */
  probe(key: string, payload: string, onResult: ProbeResult): void {
    if (this.keys) {
      const value = this.keys.get(key);
      onResult(payload, value !== undefined, value ?? '');
    } else this.write('p', key, payload);
  }

  /** Each `key\tvalue` line of a partition file, in the order written (none without the file). */
  private lines(kind: 'k' | 'p', partition: number, onLine: (key: string, value: string) => void) {
    let text: string;
    try {
      text = fs.readFileSync(this.file(kind, partition), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (
      let from = 0, nl = text.indexOf('\n');
      nl >= 0;
      from = nl + 1, nl = text.indexOf('\n', from)
    ) {
      const tab = text.indexOf('\t', from);
      onLine(text.slice(from, tab), text.slice(tab + 1, nl));
    }
  }

  /** Answers the spilled probes, partition by partition, and removes the temporary files. */
  finish(onResult: ProbeResult): void {
    if (!this.dir) return;
    try {
      for (let slot = 0; slot < this.partitions * 2; slot++) this.flush(slot);
      for (let p = 0; p < this.partitions; p++) {
        const keys = new Map<string, string>();
        this.lines('k', p, (key, value) => {
          const earlier = keys.get(key);
          keys.set(key, earlier === undefined ? value : this.merge(earlier, value));
        });
        this.lines('p', p, (key, payload) => {
          const value = keys.get(key);
          onResult(payload, value !== undefined, value ?? '');
        });
      }
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
      this.dir = null;
    }
  }
}
