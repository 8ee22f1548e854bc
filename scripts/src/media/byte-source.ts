import fs from 'node:fs';

/** Thrown for any structural fault: the scan reports the file `malformed` with this message. */
export class MalformedMediaError extends Error {}

/**
 * Random access to a file's bytes that counts what it reads, so a scan proves it read the
 * container's headers and metadata, not its media payload. Reads past the end are a
 * MalformedMediaError (a truncated file or a lying length field), never a short read.
 */
export interface ByteSource {
  readonly size: number;
  readonly bytesRead: number;
  read(offset: number, length: number): Buffer;
}

/** Upper bound on one metadata read (an XMP packet, a manifest store, a PDF object). */
export const MAX_METADATA_BYTES = 32 * 1024 * 1024;

abstract class CountingSource implements ByteSource {
  bytesRead = 0;
  abstract readonly size: number;

  read(offset: number, length: number): Buffer {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0)
      throw new MalformedMediaError(`invalid read of ${length} bytes at ${offset}`);
    if (offset + length > this.size)
      throw new MalformedMediaError(
        `structure at byte ${offset} claims ${length} bytes, past the end of the file (${this.size} bytes): truncated or a lying length field`
      );
    if (length > MAX_METADATA_BYTES)
      throw new MalformedMediaError(
        `metadata block of ${length} bytes at ${offset} is over the limit`
      );
    this.bytesRead += length;
    return this.readRange(offset, length);
  }

  protected abstract readRange(offset: number, length: number): Buffer;
}

/** Bytes already in memory (tests, downloads). */
export class BufferSource extends CountingSource {
  readonly size: number;

  constructor(private readonly bytes: Buffer) {
    super();
    this.size = bytes.length;
  }

  protected readRange(offset: number, length: number): Buffer {
    return this.bytes.subarray(offset, offset + length);
  }
}

/** A file on disk, read range by range: the media payload never leaves the disk. */
export class FileSource extends CountingSource {
  readonly size: number;

  constructor(private readonly fd: number) {
    super();
    this.size = fs.fstatSync(fd).size;
  }

  protected readRange(offset: number, length: number): Buffer {
    // Unzeroed: the loop fills every byte or throws, and zeroing showed in the scan's profile.
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, buffer, done, length - done, offset + done);
      if (n === 0)
        throw new MalformedMediaError(`file ended at byte ${offset + done} while reading`);
      done += n;
    }
    return buffer;
  }
}
