import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** Lines held in memory before they go to the temporary file. */
const IN_MEMORY = 10_000;
/** Bytes read back at a time. */
const READ_BYTES = 1 << 20;

/**
 * The coverage probes of records read while the audit events are still being read (in a
 * worker): kept in record order and replayed once every key is in the join (or once the join has
 * spilled to disk, where it answers every probe at its end anyway), so the answers, and the order
 * findings collect their ids in, are those of reading the events first. Past 10,000 lines they
 * go to a temporary file: memory stays flat whatever the export's size.
 */
export class DeferredProbes {
  private lines: string[] = [];
  private file: string | null = null;
  private fd: number | null = null;

  /** Keeps one probe's payload (a line: no newlines). */
  add(payload: string): void {
    this.lines.push(payload);
    if (this.lines.length >= IN_MEMORY) this.flush();
  }

  private flush(): void {
    if (this.fd === null) {
      this.file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-deferred-')), 'probes');
      this.fd = fs.openSync(this.file, 'w+');
    }
    fs.writeSync(this.fd, `${this.lines.join('\n')}\n`);
    this.lines = [];
  }

  /**
   * Hands every payload to `onPayload` in the order added (synchronously: the file is read back
   * a megabyte at a time), then removes the temporary file.
   */
  drain(onPayload: (payload: string) => void): void {
    try {
      if (this.fd !== null) {
        const buffer = Buffer.allocUnsafe(READ_BYTES);
        const decoder = new StringDecoder('utf8');
        let carry = '';
        let position = 0;
        for (;;) {
          const read = fs.readSync(this.fd, buffer, 0, READ_BYTES, position);
          if (read === 0) break;
          position += read;
          const text = carry + decoder.write(buffer.subarray(0, read));
          let from = 0;
          for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
            onPayload(text.slice(from, nl));
            from = nl + 1;
          }
          carry = text.slice(from);
        }
      }
      for (const line of this.lines) onPayload(line);
    } finally {
      this.discard();
    }
  }

  /** Removes the temporary file (also when the audit stops early). */
  discard(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    if (this.file) fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
    this.fd = null;
    this.file = null;
    this.lines = [];
  }
}
