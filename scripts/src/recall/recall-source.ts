import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ExportFormatError } from '../audit-chain/export-format-error';
import { openContainer, readHead, zipsIn } from '../audit/export-container';
import { listFiles } from './recall-export';

/**
 * The export a recall reads: a folder, the weekly Data Export zip, or the folder holding every
 * zip of a Data Export set, each zip read in place with the audit's zip reader (one entry at a
 * time, inflated as a stream; nothing unpacked to disk).
 */
export interface RecallSource {
  /** The folder, zip, or folder of a set's zips, resolved. */
  path: string;
  kind: 'folder' | 'zip' | 'set';
  /**
   * Every file (relative, forward slashes, sorted); a folder's recalls/ excluded. In a set, a
   * name an earlier zip holds too carries the part's number (`Lead.part2.csv`).
   */
  files: string[];
  /** A set's zips, resolved, in part order. */
  parts?: string[];
  has(rel: string): boolean;
  /** Where a file is, for messages: `dir/Lead.csv`, `export.zip:Lead.csv`, `WE_…_2.ZIP:Lead.csv`. */
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

/** A zip, or a folder holding the zips of one Data Export set, through the audit's reader. */
async function packedSource(from: string, kind: 'zip' | 'set'): Promise<RecallSource> {
  const container = await openContainer(from);
  const entries = new Map(container.entries.map((e) => [e.rel, e]));
  const entry = (rel: string) => {
    const found = entries.get(rel);
    if (!found) throw new ExportFormatError(`${from}: no entry ${rel} in the export.`);
    return found;
  };
  return {
    path: path.resolve(from),
    kind,
    files: [...entries.keys()].sort(),
    ...(container.parts ? { parts: container.parts.map((p) => path.resolve(p)) } : {}),
    has: (rel) => entries.has(rel),
    where: (rel) => entries.get(rel)?.where ?? `${from}:${rel}`,
    open: (rel) => entry(rel).open(),
    close: () => container.close()
  };
}

/** Whether a folder holds zips: the parts of a Data Export set, read as one export. */
export function isExportSet(dir: string): boolean {
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory() && zipsIn(dir).length > 0;
}

/** Opens an export folder, a Data Export zip, or the folder of a Data Export set, for a recall. */
export async function openRecallSource(from: string): Promise<RecallSource> {
  if (isZipFile(from)) return packedSource(from, 'zip');
  if (!fs.existsSync(from) || !fs.statSync(from).isDirectory())
    throw new ExportFormatError(
      `${from}: no such export folder or Data Export zip. Give the folder of CSV or JSON files, the zip, or the folder holding every zip of a Data Export.`
    );
  if (isExportSet(from)) return packedSource(from, 'set');
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
