import fs from 'node:fs';
import path from 'node:path';

/** The size of a partition's write buffer, and the longest line that goes through one. */
export const FLUSH_BYTES = 16 * 1024;

/** A copy of a string that shares no memory with the (megabyte) chunk it was parsed from. */
export function detach(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** The partition of `key` among `partitions`, by FNV-1a over the key. */
export function partitionOf(key: string, partitions: number): number {
  // FNV-1a over the key: Salesforce ids share prefixes, so their tails must mix too.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % partitions;
}

/**
 * The temporary files of a spilled join: one `<kind><partition>` file per partition for the key
 * side (`kind` K) and one for the probes (`p`), each written through a fixed buffer (slot
 * `partition` for the key side, `partition + partitions` for the probes). Lines are copied into
 * the buffers at once: a parsed field is often a slice of its whole CSV chunk, and holding the
 * string would hold the chunk.
 */
export abstract class SpillPartitions<K extends string> {
  protected dir: string | null = null;
  protected readonly buffers: (Buffer | undefined)[];
  protected readonly used: number[];

  constructor(
    protected readonly partitions: number,
    private readonly keySide: K
  ) {
    this.buffers = new Array<Buffer | undefined>(partitions * 2);
    this.used = new Array<number>(partitions * 2).fill(0);
  }

  /** Whether the join has moved to disk (tests and the benchmark report it). */
  get spilled(): boolean {
    return this.dir !== null;
  }

  protected partition(key: string): number {
    return partitionOf(key, this.partitions);
  }

  protected file(kind: K | 'p', partition: number): string {
    return path.join(this.dir ?? '', `${kind}${partition}`);
  }

  /** Appends a slot's buffered lines to its partition file. */
  protected flush(slot: number): void {
    const buffer = this.buffers[slot];
    const used = this.used[slot] ?? 0;
    if (!buffer || used === 0) return;
    const kind = slot < this.partitions ? this.keySide : 'p';
    fs.appendFileSync(this.file(kind, slot % this.partitions), buffer.subarray(0, used));
    this.used[slot] = 0;
  }
}
