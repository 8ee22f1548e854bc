import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../src/seed/seed-command';
import type { PassFigures } from './audit-run';
import type { AuditComparison, BenchResult } from './policy.bench';
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

function result(
  format: AuditComparison['format'],
  records: number,
  audit: PassFigures,
  floor: PassFigures
): BenchResult {
  const name = `audit --from (${format}): ${records.toLocaleString('en')} records`;
  const wall = audit.seconds / floor.seconds;
  const cpu = audit.cpuSeconds / floor.cpuSeconds;
  const critical = Math.max(audit.mainCpuSeconds, audit.workerCpuSeconds);
  return {
    audit: {
      format,
      records,
      rows: audit.rows,
      wallSeconds: audit.seconds,
      cpuSeconds: audit.cpuSeconds,
      criticalCpuSeconds: critical,
      papaWallSeconds: floor.seconds,
      papaCpuSeconds: floor.cpuSeconds,
      peakRssMb: audit.maxRssMb
    },
    name,
    items: audit.rows,
    seconds: audit.seconds,
    perSecond: Math.round(audit.rows / audit.seconds),
    peakRssMb: audit.maxRssMb,
    notes: `${audit.rows} rows (records + audit events), ${audit.findings} findings; CPU ${audit.cpuSeconds.toFixed(1)} s (main thread ${audit.mainCpuSeconds.toFixed(1)} s, event worker ${audit.workerCpuSeconds.toFixed(1)} s) (${Math.round(audit.rows / audit.cpuSeconds).toLocaleString('en')} rows per CPU second); bare Papa Parse pass over the same CSVs ${Math.round(floor.rows / floor.seconds).toLocaleString('en')} rows/s, ${floor.cpuSeconds.toFixed(1)} s CPU: audit ${wall.toFixed(1)}× its wall time, ${cpu.toFixed(1)}× its CPU time (target ≤ 3×); peak RSS of the audit process alone`
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
  const floor = pass('papa', dir);
  const csv = result('CSV', count, pass('audit', dir), floor);
  const tree = await toTree(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  const json = result('tree JSON', count, pass('audit', tree), floor);
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

const TARGET_RATE = 100_000;
const TARGET_RATIO = 3;

/**
 * The audit passes side by side: rows/s by wall time and per CPU second, each against the bare
 * Papa Parse pass over the same CSVs, so the report says which figure meets the target (≥ 100,000
 * rows/s, ≤ 3× Papa). Wall time depends on how busy the machine is; CPU time does not; the
 * critical path (the busier of the record audit's and the event worker's threads) is what wall
 * time would be on idle cores.
 */
export function auditTable(results: BenchResult[]): string[] {
  const rate = (rows: number, seconds: number) => Math.round(rows / seconds);
  const mark = (ok: boolean) => (ok ? '✔' : '✘');
  const lines = [
    `Export audit, wall and CPU side by side (${os.availableParallelism()} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' '
      )}; targets ≥ ${TARGET_RATE.toLocaleString('en')} rows/s and ≤ ${TARGET_RATIO}× bare Papa Parse)`,
    'format     records      rows   wall rows/s  ×Papa wall   rows/CPU s  ×Papa CPU  critical-path rows/s  ×Papa CPU  peak RSS MB'
  ];
  for (const { audit: a } of results) {
    if (!a) continue;
    const wallRate = rate(a.rows, a.wallSeconds);
    const cpuRate = rate(a.rows, a.cpuSeconds);
    const criticalRate = rate(a.rows, a.criticalCpuSeconds);
    const wallRatio = a.wallSeconds / a.papaWallSeconds;
    const cpuRatio = a.cpuSeconds / a.papaCpuSeconds;
    const criticalRatio = a.criticalCpuSeconds / a.papaCpuSeconds;
    lines.push(
      [
        a.format.padEnd(9),
        a.records.toLocaleString('en').padStart(9),
        a.rows.toLocaleString('en').padStart(9),
        `${wallRate.toLocaleString('en')} ${mark(wallRate >= TARGET_RATE)}`.padStart(13),
        `${wallRatio.toFixed(1)}× ${mark(wallRatio <= TARGET_RATIO)}`.padStart(11),
        `${cpuRate.toLocaleString('en')} ${mark(cpuRate >= TARGET_RATE)}`.padStart(12),
        `${cpuRatio.toFixed(1)}× ${mark(cpuRatio <= TARGET_RATIO)}`.padStart(10),
        `${criticalRate.toLocaleString('en')} ${mark(criticalRate >= TARGET_RATE)}`.padStart(21),
        `${criticalRatio.toFixed(1)}× ${mark(criticalRatio <= TARGET_RATIO)}`.padStart(10),
        String(a.peakRssMb).padStart(12)
      ].join('  ')
    );
  }
  lines.push(
    'Bare Papa Parse: ' +
      results
        .filter((r) => r.audit?.format === 'CSV')
        .map(
          ({ audit: a }) =>
            `${a!.records.toLocaleString('en')} records: ${a!.papaWallSeconds.toFixed(1)} s wall, ${a!.papaCpuSeconds.toFixed(1)} s CPU`
        )
        .join('; ')
  );
  return lines;
}
