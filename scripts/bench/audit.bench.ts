import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditExportFolder } from '../src/audit/export-auditor';
import { loadPackagePolicy } from '../src/policy/package-policy';
import { PROJECT_ROOT } from '../src/project-root';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../src/seed/seed-command';
import Papa from 'papaparse';
import type { BenchResult } from './policy.bench';
import { readCsvRecords } from '../src/audit/csv-stream';
import { EXPORT_FILES, OBJECT_ORDER } from '../src/seed/export-layout';

/** A bare Papa Parse pass over every CSV of a folder: the floor the audit is compared with. */
async function barePapa(dir: string): Promise<{ rows: number; seconds: number }> {
  const started = process.hrtime.bigint();
  let rows = 0;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.csv'))) {
    await new Promise<void>((resolve, reject) =>
      Papa.parse<string[]>(fs.createReadStream(path.join(dir, name)), {
        skipEmptyLines: true,
        chunk: (results) => (rows += results.data.length),
        complete: () => resolve(),
        error: reject
      })
    );
  }
  return { rows, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * Rewrites an export's object CSVs as sObject tree JSON (`<Object>s.json`, one file per object,
 * as `sf data export tree --plan` names them), streamed, so the tree reader is measured at scale.
 */
async function toTree(dir: string): Promise<string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-bench-tree-'));
  for (const object of OBJECT_ORDER) {
    const file = fs.createWriteStream(path.join(out, `${object}s.json`));
    file.write('{"records":[');
    let first = true;
    for await (const { fields } of readCsvRecords(path.join(dir, `${object}.csv`), [], () => {})) {
      const record: Record<string, unknown> = {
        attributes: { type: object, referenceId: fields.Id }
      };
      for (const [name, value] of Object.entries(fields)) if (value !== '') record[name] = value;
      if (!file.write(`${first ? '' : ','}\n${JSON.stringify(record)}`))
        await new Promise<void>((resolve) => file.once('drain', () => resolve()));
      first = false;
    }
    file.end(']}\n');
    await new Promise<void>((resolve) => file.once('finish', () => resolve()));
  }
  fs.copyFileSync(
    path.join(dir, EXPORT_FILES.auditEvents),
    path.join(out, EXPORT_FILES.auditEvents)
  );
  return out;
}

async function measure(
  name: string,
  dir: string,
  floor: { rows: number; seconds: number } | null
): Promise<BenchResult> {
  const policy = loadPackagePolicy(PROJECT_ROOT);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = process.hrtime.bigint();
  const result = await auditExportFolder(dir, {
    policy,
    now: '2026-06-01T12:00:00.000Z',
    slaDays: 7,
    keys: { hmacKey: SAMPLE_HMAC_KEY }
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  const vsPapa = floor
    ? `; bare Papa Parse pass ${Math.round(floor.rows / floor.seconds).toLocaleString('en')} rows/s, audit ${(seconds / floor.seconds).toFixed(1)}× its time (target ≤ 3×)`
    : '';
  return {
    name,
    items: result.rows,
    seconds,
    perSecond: Math.round(result.rows / seconds),
    peakRssMb: Math.round(peak / 1024 / 1024),
    notes: `${result.rows} rows (records + audit events); RSS growth while auditing ${Math.round((peak - baseline) / 1024 / 1024)} MB; ${result.findings.length} findings${vsPapa}`
  };
}

/**
 * Audits a generated export of `count` records (plus their audit events) from disk, as CSV and
 * as sObject tree JSON, beside a bare Papa Parse pass over the same CSVs (one run, both figures).
 */
export async function benchAudit(count: number): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-bench-audit-'));
  await seedToFolder(dir, {
    count,
    seed: 1,
    syntheticRatio: 0.4,
    now: '2026-06-01T12:00:00.000Z',
    hmacKey: SAMPLE_HMAC_KEY
  });
  const label = count.toLocaleString('en');
  const floor = await barePapa(dir);
  const csv = await measure(`audit --from (CSV): ${label} records`, dir, floor);
  const tree = await toTree(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  const json = await measure(`audit --from (tree JSON): ${label} records`, tree, null);
  fs.rmSync(tree, { recursive: true, force: true });
  return [csv, json];
}
