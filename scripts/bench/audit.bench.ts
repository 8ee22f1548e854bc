import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../src/seed/seed-command';
import type { PassFigures } from './audit-run';
import type { BenchResult } from './policy.bench';
import { readCsvRecords } from '../src/audit/csv-stream';
import { EXPORT_FILES, OBJECT_ORDER } from '../src/seed/export-layout';

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

/** Runs one pass (`papa` or `audit`) over a folder in a child process and reads its figures. */
function pass(kind: 'papa' | 'audit', dir: string): PassFigures {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'audit-run.ts'), kind, dir],
    { encoding: 'utf8', maxBuffer: 1 << 20 }
  );
  if (run.status !== 0) throw new Error(`audit bench ${kind} pass failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as PassFigures;
}

function result(name: string, audit: PassFigures, floor: PassFigures): BenchResult {
  const wall = audit.seconds / floor.seconds;
  const cpu = audit.cpuSeconds / floor.cpuSeconds;
  return {
    name,
    items: audit.rows,
    seconds: audit.seconds,
    perSecond: Math.round(audit.rows / audit.seconds),
    peakRssMb: audit.maxRssMb,
    notes: `${audit.rows} rows (records + audit events), ${audit.findings} findings; CPU ${audit.cpuSeconds.toFixed(1)} s (${Math.round(audit.rows / audit.cpuSeconds).toLocaleString('en')} rows per CPU second); bare Papa Parse pass over the same CSVs ${Math.round(floor.rows / floor.seconds).toLocaleString('en')} rows/s, ${floor.cpuSeconds.toFixed(1)} s CPU: audit ${wall.toFixed(1)}× its wall time, ${cpu.toFixed(1)}× its CPU time (target ≤ 3×); peak RSS of the audit process alone`
  };
}

/**
 * Audits a generated export of `count` records (plus their audit events) from disk, as CSV and
 * as sObject tree JSON, beside a bare Papa Parse pass over the same CSVs, each pass in a process
 * of its own (peak RSS per pass; CPU time as well as wall time, as the machine may be shared).
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
  const floor = pass('papa', dir);
  const csv = result(`audit --from (CSV): ${label} records`, pass('audit', dir), floor);
  const tree = await toTree(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  const json = result(`audit --from (tree JSON): ${label} records`, pass('audit', tree), floor);
  fs.rmSync(tree, { recursive: true, force: true });
  return [csv, json];
}

/** Peak memory of the larger run against the smaller: flat when the ratio stays near 1. */
export function memoryGrowth(small: BenchResult, large: BenchResult): BenchResult {
  return {
    name: `audit memory: ${large.items.toLocaleString('en')} vs ${small.items.toLocaleString('en')} rows`,
    items: large.items,
    seconds: large.seconds,
    perSecond: large.perSecond,
    peakRssMb: large.peakRssMb,
    notes: `peak RSS ${small.peakRssMb} MB → ${large.peakRssMb} MB (${(large.peakRssMb / small.peakRssMb).toFixed(2)}×) for ${(large.items / small.items).toFixed(1)}× the rows`
  };
}
