import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli/errors';
import { readCsvBatches } from '../audit/csv-stream';
import { KNOWN_COLUMNS } from '../audit/record-reader';
import { readTreeRows } from '../audit/tree-json';
import { ExportFile, sourceInput } from './recall-export';
import { RecallSource } from './recall-source';

/**
 * Reads every record file of an export through the audit's strict reader (field counts,
 * quoting, binary data, JSON shape), so recall plans on nothing the audit would refuse.
 */
export async function checkExportReadable(
  source: RecallSource,
  files: ExportFile[]
): Promise<void> {
  for (const file of files) {
    const input = sourceInput(source, file.rel);
    if (file.format === 'csv') {
      for await (const batch of readCsvBatches(input)) void batch;
    } else {
      for await (const row of readTreeRows(input, KNOWN_COLUMNS)) void row;
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

/**
 * The files whose digests seal a plan, by key: every file of a folder (its recalls/ folder
 * excluded), or the Data Export zip itself under its file name (an entry cannot change
 * without the zip changing), or every zip of a Data Export set under its file name.
 */
function sealedFiles(source: RecallSource): Map<string, string> {
  if (source.kind === 'zip') return new Map([[path.basename(source.path), source.path]]);
  if (source.kind === 'set')
    return new Map((source.parts ?? []).map((part) => [path.basename(part), part]));
  return new Map(source.files.map((rel) => [rel, path.join(source.path, rel)]));
}

/** Size and SHA-256 of every file of an export folder, of the Data Export zip, or of each zip of a set. */
export async function inputDigests(
  source: RecallSource
): Promise<Record<string, { size: number; sha256: string }>> {
  const out: Record<string, { size: number; sha256: string }> = {};
  for (const [key, full] of sealedFiles(source)) out[key] = await digestOf(full);
  return out;
}

/**
 * Refuses to apply a plan to an export that is not the one planned on: a file gone, changed or
 * added since planning (or, for a zip, the zip changed). Nothing is written before this passes.
 */
export async function checkInputs(
  source: RecallSource,
  planned: Record<string, { size: number; sha256: string }>
): Promise<void> {
  const now = sealedFiles(source);
  const problems: string[] = [];
  for (const [rel, expected] of Object.entries(planned)) {
    const full = now.get(rel);
    if (full === undefined) {
      problems.push(`${rel} is gone`);
      continue;
    }
    if (fs.statSync(full).size !== expected.size) {
      problems.push(`${rel} changed size`);
      continue;
    }
    if ((await digestOf(full)).sha256 !== expected.sha256) problems.push(`${rel} changed`);
  }
  for (const rel of now.keys()) if (!(rel in planned)) problems.push(`${rel} is new`);
  if (problems.length)
    throw new UsageError(
      `${source.path} is not the export this plan was made on (${problems.slice(0, 5).join(', ')}${problems.length > 5 ? `, and ${problems.length - 5} more` : ''}). Nothing was written; plan again on the export as it is now.`
    );
}
