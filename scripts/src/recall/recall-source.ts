import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { openContainer, readHead } from '../audit/export-container';
import { listFiles } from './recall-export';

/**
 * The export a recall reads: a folder, or the weekly Data Export zip read in place with the
 * audit's zip reader (one entry at a time, inflated as a stream; nothing unpacked to disk).
 */
export interface RecallSource {
  /** The folder or zip, resolved. */
  path: string;
  kind: 'folder' | 'zip';
  /** Every file (relative, forward slashes, sorted); a folder's recalls/ excluded. */
  files: string[];
  has(rel: string): boolean;
  /** Where a file is, for messages: `dir/Lead.csv` or `export.zip:Lead.csv`. */
  where(rel: string): string;
  open(rel: string): Promise<Readable>;
  close(): void;
}

const ZIP_HEADS = [Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from([0x50, 0x4b, 0x05, 0x06])];

/** Whether a path is a zip file (by its first bytes, as the audit decides). */
export function isZipFile(file: string): boolean {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return false;
  const head = readHead(file, 4);
  return ZIP_HEADS.some((magic) => head.equals(magic));
}

function folderSource(dir: string): RecallSource {
  const files = listFiles(dir);
  const known = new Set(files);
  return {
    path: path.resolve(dir),
    kind: 'folder',
    files,
    has: (rel) => known.has(rel) || fs.existsSync(path.join(dir, rel)),
    where: (rel) => path.join(dir, rel),
    open: (rel) =>
      Promise.resolve(fs.createReadStream(path.join(dir, rel), { highWaterMark: 1 << 20 })),
    close: () => {}
  };
}

async function zipSource(file: string): Promise<RecallSource> {
  const container = await openContainer(file);
  const prefix = `${file}:`;
  const entries = new Map(container.entries.map((e) => [e.where.slice(prefix.length), e]));
  const entry = (rel: string) => {
    const found = entries.get(rel);
    if (!found) throw new ExportFormatError(`${file}: no entry ${rel} in the zip.`);
    return found;
  };
  return {
    path: path.resolve(file),
    kind: 'zip',
    files: [...entries.keys()].sort(),
    has: (rel) => entries.has(rel),
    where: (rel) => `${file}:${rel}`,
    open: (rel) => entry(rel).open(),
    close: () => container.close()
  };
}

/** Opens an export folder or a Data Export zip for a recall. */
export async function openRecallSource(from: string): Promise<RecallSource> {
  if (isZipFile(from)) return zipSource(from);
  if (!fs.existsSync(from) || !fs.statSync(from).isDirectory())
    throw new ExportFormatError(
      `${from}: no such export folder or Data Export zip. Give the folder of CSV or JSON files, or the zip.`
    );
  return folderSource(from);
}

/** Runs `fn` on an opened source and closes it (a zip's file handle) whatever happens. */
export async function withRecallSource<T>(
  from: string,
  fn: (source: RecallSource) => Promise<T>
): Promise<T> {
  const source = await openRecallSource(from);
  try {
    return await fn(source);
  } finally {
    source.close();
  }
}
