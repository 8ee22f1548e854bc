import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli/errors';
import { readCsvBatches } from '../audit/csv-stream';
import { KNOWN_COLUMNS } from '../audit/record-reader';
import { readTreeRows } from '../audit/tree-json';
import { ExportFile, listFiles } from './recall-export';

/**
 * Reads every record file of an export through the audit's strict reader (field counts,
 * quoting, binary data, JSON shape), so recall plans on nothing the audit would refuse.
 */
export async function checkExportReadable(dir: string, files: ExportFile[]): Promise<void> {
  for (const file of files) {
    const full = path.join(dir, file.rel);
    if (file.format === 'csv') {
      for await (const batch of readCsvBatches(full)) void batch;
    } else {
      const entry = {
        where: full,
        open: () => Promise.resolve(fs.createReadStream(full))
      };
      for await (const row of readTreeRows(entry, KNOWN_COLUMNS)) void row;
    }
  }
}

async function digestOf(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, {
    highWaterMark: 1 << 20
  }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Size and SHA-256 of every file of an export (its recalls/ folder excluded). */
export async function inputDigests(
  dir: string
): Promise<Record<string, { size: number; sha256: string }>> {
  const out: Record<string, { size: number; sha256: string }> = {};
  for (const rel of listFiles(dir)) out[rel] = await digestOf(path.join(dir, rel));
  return out;
}

/**
 * Refuses to apply a plan to an export that is not the one planned on: a file gone, changed or
 * added since planning. Nothing is written before this passes.
 */
export async function checkInputs(
  dir: string,
  planned: Record<string, { size: number; sha256: string }>
): Promise<void> {
  const now = new Set(listFiles(dir));
  const problems: string[] = [];
  for (const [rel, expected] of Object.entries(planned)) {
    if (!now.has(rel)) {
      problems.push(`${rel} is gone`);
      continue;
    }
    const full = path.join(dir, rel);
    if (fs.statSync(full).size !== expected.size) {
      problems.push(`${rel} changed size`);
      continue;
    }
    if ((await digestOf(full)).sha256 !== expected.sha256) problems.push(`${rel} changed`);
  }
  for (const rel of now) if (!(rel in planned)) problems.push(`${rel} is new`);
  if (problems.length)
    throw new UsageError(
      `${dir} is not the export this plan was made on (${problems.slice(0, 5).join(', ')}${problems.length > 5 ? `, and ${problems.length - 5} more` : ''}). Nothing was written; plan again on the export as it is now.`
    );
}
