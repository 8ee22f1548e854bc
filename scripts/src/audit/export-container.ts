import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ExportFormatError } from '../audit-chain/export-format-error';

/** One file of an export: a file in a folder or an entry of a zip, read as a stream. */
export interface ExportEntry {
  /** The file's name inside the export (its last path segment). */
  name: string;
  /**
   * Its path inside the export, unique across it (forward slashes): a folder's file name, a zip
   * entry's path; in a Data Export set, a name an earlier part already holds gets the part's
   * number (`Lead.part2.csv`), which is also the name a recall writes it under.
   */
  rel: string;
  /** Where it is, for messages: `dir/Lead.csv` or `export.zip:Lead.csv`. */
  where: string;
  size: number;
  open(): Promise<Readable>;
}

/**
 * A folder, a zip (the weekly Data Export service), the zips of one Data Export set (a folder
 * holding them) or a single file, as a list of entries.
 */
export interface ExportContainer {
  label: string;
  entries: ExportEntry[];
  /** The zips of a Data Export set, in part order (absent for anything else). */
  parts?: string[];
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
    rel: name,
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
          rel: name,
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

/** `WE_<orgId>_<n>.ZIP`: how the weekly Data Export service names the zips of one export. */
const DATA_EXPORT_PART = /^WE_([0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?)_(\d+)\.zip$/i;

/** The org Id (15 characters) and part number a Data Export zip's name carries, if it does. */
export function dataExportPart(file: string): { org: string; part: number } | null {
  const match = DATA_EXPORT_PART.exec(path.basename(file));
  return match ? { org: match[1]!.slice(0, 15), part: Number(match[2]) } : null;
}

const byPartName = (a: string, b: string) =>
  path.basename(a).localeCompare(path.basename(b), 'en', { numeric: true });

/** The zips directly in a folder (`*.zip`, any case), in part order: `_2` before `_10`. */
export function zipsIn(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.zip$/i.test(e.name))
    .map((e) => path.join(dir, e.name))
    .sort(byPartName);
}

/**
 * Refuses a folder of zips that is not one whole Data Export set: zips of two orgs, a part
 * missing between 1 and the highest, Data Export zips beside other zips, or zips beside loose
 * export files. A missing last part cannot be seen from the names: the report lists the parts.
 */
function checkSet(dir: string, zips: string[]): void {
  const loose = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(csv|json)$/i.test(e.name))
    .map((e) => e.name);
  if (loose.length)
    throw new ExportFormatError(
      `${dir} holds both zips (${zips.map((z) => path.basename(z)).join(', ')}) and export files (${loose.slice(0, 3).join(', ')}${loose.length > 3 ? ', …' : ''}): give a folder of the Data Export zips alone, or the folder of CSV or JSON files alone.`
    );
  const parts = zips.map(dataExportPart);
  if (parts.every((p) => p === null)) return;
  const strangers = zips.filter((_, i) => parts[i] === null).map((z) => path.basename(z));
  if (strangers.length)
    throw new ExportFormatError(
      `${dir} holds Data Export zips (WE_<orgId>_<n>.ZIP) and other zips (${strangers.join(', ')}): move the others out, so one export is read.`
    );
  const orgs = [...new Set(parts.map((p) => p!.org))];
  if (orgs.length > 1)
    throw new ExportFormatError(
      `${dir} holds the Data Export zips of ${orgs.length} orgs (${orgs.join(', ')}): put each org's zips in a folder of their own.`
    );
  const have = new Set(parts.map((p) => p!.part));
  const highest = Math.max(...have);
  const missing: number[] = [];
  for (let part = 1; part <= highest; part++) if (!have.has(part)) missing.push(part);
  if (missing.length)
    throw new ExportFormatError(
      `${dir}: the Data Export set WE_${orgs[0]}…_1.ZIP to _${highest}.ZIP is missing part ${missing.join(', ')}. Download every zip the Data Export page lists into this folder; nothing was read.`
    );
}

/** `Lead.csv` from part 2 when part 1 holds one too: `Lead.part2.csv`. */
function partRel(rel: string, part: number): string {
  const ext = path.posix.extname(rel);
  return `${rel.slice(0, rel.length - ext.length)}.part${part}${ext}`;
}

/**
 * The zips of one weekly Data Export (`WE_<orgId>_1.ZIP`, `_2.ZIP` …, in a folder) read as one
 * export, each in place. An object's CSV found in several zips is read as one object, part
 * after part; each keeps its own header.
 */
async function setContainer(dir: string, zips: string[]): Promise<ExportContainer> {
  checkSet(dir, zips);
  const opened: ExportContainer[] = [];
  try {
    for (const zip of zips) opened.push(await zipContainer(zip));
  } catch (error) {
    for (const part of opened) part.close();
    throw error;
  }
  const taken = new Set<string>();
  const entries: ExportEntry[] = [];
  opened.forEach((container, i) => {
    const part = dataExportPart(zips[i]!)?.part ?? i + 1;
    for (const entry of container.entries) {
      const rel = taken.has(entry.rel.toLowerCase()) ? partRel(entry.rel, part) : entry.rel;
      taken.add(rel.toLowerCase());
      entries.push({ ...entry, rel });
    }
  });
  return {
    label: dir,
    entries,
    parts: zips,
    close: () => opened.forEach((part) => part.close())
  };
}

/**
 * Refuses one zip of a several-zip Data Export set when its other parts lie beside it: read
 * alone, the export would be audited or recalled in part without saying so.
 */
function refuseLonePart(file: string): void {
  const own = dataExportPart(file);
  if (!own) return;
  const dir = path.dirname(file);
  const siblings = zipsIn(dir).filter((zip) => dataExportPart(zip)?.org === own.org);
  if (siblings.length > 1)
    throw new ExportFormatError(
      `${file} is part ${own.part} of a ${siblings.length}-zip Data Export set (${siblings.map((z) => path.basename(z)).join(', ')}): give the folder that holds them (--from ${dir}), so the export is read whole.`
    );
}

/**
 * Opens what `--from` names: an export folder, a Data Export zip, a folder holding the zips of
 * one Data Export set, or one export file.
 */
export async function openContainer(from: string): Promise<ExportContainer> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(from);
  } catch {
    throw new ExportFormatError(
      `${from}: no such export folder or file. Give the folder of CSV or JSON files, the Data Export zip, or the folder holding every zip of a Data Export.`
    );
  }
  if (stat.isDirectory()) {
    const zips = zipsIn(from);
    return zips.length ? setContainer(from, zips) : folderContainer(from);
  }
  if (!stat.isFile()) throw new ExportFormatError(`${from}: not a folder or a file.`);
  const head = readHead(from, 4);
  if (head.equals(ZIP_MAGIC) || head.equals(EMPTY_ZIP_MAGIC)) {
    refuseLonePart(from);
    return zipContainer(from);
  }
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
