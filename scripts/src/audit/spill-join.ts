import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Callback for a probe: its payload and whether its key was on the key side. */
export type ProbeResult = (payload: string, found: boolean) => void;

const FLUSH_BYTES = 16 * 1024;

/**
 * An exact membership join whose memory stays flat however large the export: keys (record ids
 * with audit events, synthetic account ids) are held in a Set up to `memoryLimit`; past that,
 * keys and later probes are hash-partitioned into temporary files and joined one partition at a
 * time at `finish()`. Probes made before the spill are answered at once.
 */
export class SpillJoin {
  private keys: Set<string> | null = new Set();
  private dir: string | null = null;
  // Lines are copied into fixed buffers at once: a parsed field is often a slice of its whole
  // CSV chunk, and holding the string would hold the chunk.
  private readonly buffers: (Buffer | undefined)[];
  private readonly used: number[];

  constructor(
    private readonly name: string,
    private readonly memoryLimit = 100_000,
    private readonly partitions = 256
  ) {
    this.buffers = new Array<Buffer | undefined>(partitions * 2);
    this.used = new Array<number>(partitions * 2).fill(0);
  }

  /** Whether the join has moved to disk (tests and the benchmark report it). */
  get spilled(): boolean {
    return this.dir !== null;
  }

  private partition(key: string): number {
    // FNV-1a over the key: Salesforce ids share prefixes, so their tails must mix too.
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return (h >>> 0) % this.partitions;
  }

  private file(kind: 'k' | 'p', partition: number): string {
    return path.join(this.dir ?? '', `${kind}${partition}`);
  }

  private write(kind: 'k' | 'p', key: string, line: string): void {
    const p = this.partition(key);
    const slot = kind === 'k' ? p : p + this.partitions;
    if ((this.used[slot] ?? 0) + line.length * 3 + 1 > FLUSH_BYTES) this.flush(slot);
    const buffer = (this.buffers[slot] ??= Buffer.allocUnsafe(FLUSH_BYTES));
    let at = this.used[slot] ?? 0;
    at += buffer.write(line, at);
    buffer[at++] = 10;
    this.used[slot] = at;
  }

  private flush(slot: number): void {
    const buffer = this.buffers[slot];
    const used = this.used[slot] ?? 0;
    if (!buffer || used === 0) return;
    const kind = slot < this.partitions ? 'k' : 'p';
    fs.appendFileSync(this.file(kind, slot % this.partitions), buffer.subarray(0, used));
    this.used[slot] = 0;
  }

  /** Adds a key (all keys must come before the probes that should find them). */
  add(key: string): void {
    if (this.keys) {
      // A parsed field is often a slice of its whole CSV chunk; keeping the slice would keep the
      // chunk, so keep a copy of the id.
      this.keys.add(Buffer.from(key, 'utf8').toString('utf8'));
      if (this.keys.size > this.memoryLimit) this.spill();
    } else this.write('k', key, key);
  }

  private spill(): void {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `sdg-${this.name}-`));
    const keys = this.keys ?? new Set<string>();
    this.keys = null;
    for (const key of keys) this.write('k', key, key);
  }

  /** Asks whether `key` was added; `payload` (no newlines) comes back with the answer. */
  probe(key: string, payload: string, onResult: ProbeResult): void {
    if (this.keys) onResult(payload, this.keys.has(key));
    else this.write('p', key, `${key}\t${payload}`);
  }

  /** Answers the spilled probes, partition by partition, and removes the temporary files. */
  finish(onResult: ProbeResult): void {
    if (!this.dir) return;
    try {
      for (let slot = 0; slot < this.partitions * 2; slot++) this.flush(slot);
      for (let p = 0; p < this.partitions; p++) {
        const read = (kind: 'k' | 'p') =>
          fs.existsSync(this.file(kind, p))
            ? fs.readFileSync(this.file(kind, p), 'utf8').split('\n').slice(0, -1)
            : [];
        const keys = new Set(read('k'));
        for (const line of read('p')) {
          const tab = line.indexOf('\t');
          onResult(line.slice(tab + 1), keys.has(line.slice(0, tab)));
        }
      }
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
      this.dir = null;
    }
  }
}
