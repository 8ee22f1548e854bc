import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ExportFormatError } from '../audit-chain/export-format-error';

/** One file of an export: a file in a folder or an entry of a zip, read as a stream. */
export interface ExportEntry {
  /** The file's name inside the export (forward slashes). */
  name: string;
  /** Where it is, for messages: `dir/Lead.csv` or `export.zip:Lead.csv`. */
  where: string;
  size: number;
  open(): Promise<Readable>;
}

/** A folder, a zip (the weekly Data Export service) or a single file, as a list of entries. */
export interface ExportContainer {
  label: string;
  entries: ExportEntry[];
  /** Closes the zip file, if any. */
  close(): void;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** The first bytes of a file (for format sniffing), at most `size`. */
export function readHead(file: string, size = 512): Buffer {
  const handle = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size);
    const read = fs.readSync(handle, buffer, 0, size, 0);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(handle);
  }
}

function fileEntry(file: string, name: string): ExportEntry {
  return {
    name,
    where: file,
    size: fs.statSync(file).size,
    open: () => Promise.resolve(fs.createReadStream(file, { highWaterMark: 1 << 20 }))
  };
}

/** Top-level files of a folder: a seeded export's `tree/` copy and a recall's `recalls/` are not the export. */
function folderContainer(dir: string): ExportContainer {
  const entries = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort()
    .map((name) => fileEntry(path.join(dir, name), name));
  return { label: dir, entries, close: () => {} };
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, zip) =>
      error ? reject(error) : resolve(zip)
    )
  );
}

/**
 * A zip read in place (its central directory, then one entry at a time, inflated as a stream):
 * the weekly export of a large org is many gigabytes and need not be unpacked to disk.
 */
async function zipContainer(file: string): Promise<ExportContainer> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (error) {
    throw new ExportFormatError(`${file}: not a readable zip (${(error as Error).message}).`);
  }
  const entries: ExportEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('/')) {
        const name = entry.fileName;
        entries.push({
          name: path.posix.basename(name),
          where: `${file}:${name}`,
          size: entry.uncompressedSize,
          open: () =>
            new Promise<Readable>((ok, fail) =>
              zip.openReadStream(entry, (error, stream) =>
                error
                  ? fail(new ExportFormatError(`${file}:${name}: ${error.message}.`))
                  : ok(stream)
              )
            )
        });
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (error: Error) =>
      reject(new ExportFormatError(`${file}: not a readable zip (${error.message}).`))
    );
    zip.readEntry();
  });
  entries.sort((a, b) => a.where.localeCompare(b.where));
  return { label: file, entries, close: () => zip.close() };
}

/** Opens what `--from` names: an export folder, a Data Export zip, or one export file. */
export async function openContainer(from: string): Promise<ExportContainer> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(from);
  } catch {
    throw new ExportFormatError(
      `${from}: no such export folder or file. Give the folder of CSV or JSON files, or the Data Export zip.`
    );
  }
  if (stat.isDirectory()) return folderContainer(from);
  if (!stat.isFile()) throw new ExportFormatError(`${from}: not a folder or a file.`);
  const head = readHead(from, 4);
  if (head.equals(ZIP_MAGIC) || head.equals(EMPTY_ZIP_MAGIC)) return zipContainer(from);
  return {
    label: from,
    entries: [fileEntry(from, path.basename(from))],
    close: () => {}
  };
}

/** Reads up to `size` bytes from the start of an entry, then stops reading. */
export async function entryHead(entry: ExportEntry, size = 64 * 1024): Promise<Buffer> {
  const stream = await entry.open();
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= size) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, size);
}
