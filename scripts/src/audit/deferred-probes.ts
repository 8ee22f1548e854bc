import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

/** Lines held in memory before they go to the temporary file. */
const IN_MEMORY = 10_000;

/**
 * The coverage probes of records read while the audit events are still being read (in a
 * worker): kept in record order and replayed once every key is in the join, so the answers, and
 * the order findings collect their ids in, are those of reading the events first. Past 10,000
 * lines they go to a temporary file: memory stays flat whatever the export's size.
 */
export class DeferredProbes {
  private lines: string[] = [];
  private file: string | null = null;

  /** Keeps one probe's payload (a line: no newlines). */
  add(payload: string): void {
    this.lines.push(payload);
    if (this.lines.length >= IN_MEMORY) this.flush();
  }

  private flush(): void {
    this.file ??= path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-deferred-')), 'probes');
    fs.appendFileSync(this.file, `${this.lines.join('\n')}\n`);
    this.lines = [];
  }

  /** Every payload in the order added; the temporary file is removed afterwards. */
  async *replay(): AsyncGenerator<string> {
    try {
      if (this.file) {
        const lines = readline.createInterface({
          input: fs.createReadStream(this.file, { highWaterMark: 1 << 20 }),
          crlfDelay: Infinity
        });
        for await (const line of lines) yield line;
      }
      yield* this.lines;
    } finally {
      this.discard();
    }
  }

  /** Removes the temporary file (also when the audit stops early). */
  discard(): void {
    if (this.file) fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
    this.file = null;
    this.lines = [];
  }
}
