import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../src/seed/seed-command';
import type { PassFigures } from './audit-run';
import type { AuditComparison, AuditMode, BenchResult } from './policy.bench';
import { readCsvRecords } from '../src/audit/csv-stream';
import { EXPORT_FILES, OBJECT_ORDER } from '../src/seed/export-layout';

/**
 * Rewrites an export's object CSVs as sObject tree JSON (`<Object>s.json`, one file per object,
 * as `sf data export tree --plan` names them), streamed, so the tree reader is measured at scale.
 * The audit events and the field history files (`LeadHistory.csv` …) are copied as they are, so
 * the tree pass runs the same controls as the CSV pass (SDG-13 included).
 */
export async function toTree(
  dir: string,
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-bench-tree-'))
): Promise<string> {
  fs.mkdirSync(out, { recursive: true });
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
  for (const name of fs.readdirSync(dir))
    if (name === EXPORT_FILES.auditEvents || name.endsWith('History.csv'))
      fs.copyFileSync(path.join(dir, name), path.join(out, name));
  return out;
}

/** A pass's figures and its resident set sampled from outside while it ran. */
interface SampledPass extends PassFigures {
  rssMbOverTime: number[];
}

/** The resident set of a running process in MB (Linux /proc; undefined elsewhere or once gone). */
function residentMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)/m.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/**
 * Runs one pass (`papa` or `audit`) over a folder in a child process and reads its figures; its
 * resident set is read every `sampleMs` while it runs, so growth shows, not only the peak. `worker`
 * sets SDG_AUDIT_WORKER for the pass (undefined: inherited).
 */
function pass(
  kind: 'papa' | 'audit',
  dir: string,
  worker?: '0' | '1',
  sampleMs = 2000
): Promise<SampledPass> {
  const env = worker === undefined ? process.env : { ...process.env, SDG_AUDIT_WORKER: worker };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'audit-run.ts'), kind, dir],
    { env, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  const rssMbOverTime: number[] = [];
  const timer = setInterval(() => {
    const mb = child.pid === undefined ? undefined : residentMb(child.pid);
    if (mb !== undefined) rssMbOverTime.push(mb);
  }, sampleMs);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      clearInterval(timer);
      if (status !== 0) reject(new Error(`audit bench ${kind} pass failed: ${stderr}`));
      else {
        const figures = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as PassFigures;
        resolve({ ...figures, rssMbOverTime });
      }
    });
  });
}

/** At most `count` samples, evenly spaced over the run, the last one kept. */
function spread(samples: readonly number[], count = 10): number[] {
  if (samples.length <= count) return [...samples];
  return Array.from(
    { length: count },
    (_, i) => samples[Math.round(((i + 1) * (samples.length - 1)) / count)]!
  );
}

function result(
  format: AuditComparison['format'],
  mode: AuditMode,
  records: number,
  audit: SampledPass,
  floor: PassFigures
): BenchResult {
  const name = `audit --from (${format}, ${mode}): ${records.toLocaleString('en')} records`;
  const wall = audit.seconds / floor.seconds;
  const cpu = audit.cpuSeconds / floor.cpuSeconds;
  const critical = Math.max(audit.mainCpuSeconds, audit.workerCpuSeconds);
  const overTime = spread(audit.rssMbOverTime);
  return {
    audit: {
      format,
      mode,
      records,
      rows: audit.rows,
      wallSeconds: audit.seconds,
      cpuSeconds: audit.cpuSeconds,
      criticalCpuSeconds: critical,
      papaWallSeconds: floor.seconds,
      papaCpuSeconds: floor.cpuSeconds,
      peakRssMb: audit.maxRssMb,
      endRssMb: audit.endRssMb,
      rssMbOverTime: overTime
    },
    name,
    items: audit.rows,
    seconds: audit.seconds,
    perSecond: Math.round(audit.rows / audit.seconds),
    peakRssMb: audit.maxRssMb,
    notes: `${audit.rows} rows (records + audit events), ${audit.findings} findings; CPU ${audit.cpuSeconds.toFixed(1)} s (main thread ${audit.mainCpuSeconds.toFixed(1)} s, event worker ${audit.workerCpuSeconds.toFixed(1)} s) (${Math.round(audit.rows / audit.cpuSeconds).toLocaleString('en')} rows per CPU second); bare Papa Parse pass over the same CSVs ${Math.round(floor.rows / floor.seconds).toLocaleString('en')} rows/s, ${floor.cpuSeconds.toFixed(1)} s CPU: audit ${wall.toFixed(1)}× its wall time, ${cpu.toFixed(1)}× its CPU time (target ≤ 3×); peak RSS of the audit process alone, ${audit.endRssMb} MB when it returned; RSS over the run (MB, tenths): ${overTime.join(' ') || 'not sampled'}`
  };
}

/** Which modes a bench run audits in: the audit's own choice, and with `--in-process` the main thread too. */
export interface AuditModes {
  /** Also audit each export with SDG_AUDIT_WORKER=0. */
  inProcess: boolean;
}

/**
 * Audits a generated export of `count` records (plus their audit events and the field history
 * `sdg seed` writes) from disk, as CSV and as sObject tree JSON, beside a bare Papa Parse pass
 * over the same CSVs, each pass in a process of its own (peak RSS per pass and RSS sampled over
 * the run; CPU time as well as wall time, as the machine may be shared). Each format is audited
 * as `sdg audit` would audit it (the event worker when the export's events repay it; the
 * environment's SDG_AUDIT_WORKER forces a mode), and in process as well when `modes.inProcess`.
 */
export async function benchAudit(
  count: number,
  modes: AuditModes = { inProcess: false }
): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-bench-audit-'));
  await seedToFolder(dir, {
    count,
    seed: 1,
    syntheticRatio: 0.4,
    now: '2026-06-01T12:00:00.000Z',
    hmacKey: SAMPLE_HMAC_KEY
  });
  // Unforced, a pass runs as `sdg audit` would on this export (the audit picks the event worker
  // or not); its mode is then read from the figures, and --in-process adds the other mode.
  const forced = process.env.SDG_AUDIT_WORKER;
  const runs: ('0' | '1' | undefined)[] =
    forced === '0' || forced === '1'
      ? [forced]
      : [undefined, ...(modes.inProcess ? ['0' as const] : [])];
  const modeOf = (audit: SampledPass): AuditMode =>
    audit.workerCpuSeconds > 0 ? 'event worker' : 'in process';
  const floor = await pass('papa', dir);
  const results: BenchResult[] = [];
  const audited = async (format: AuditComparison['format'], folder: string) => {
    const seen = new Set<AuditMode>();
    for (const worker of runs) {
      const audit = await pass('audit', folder, worker);
      if (seen.has(modeOf(audit))) continue;
      seen.add(modeOf(audit));
      results.push(result(format, modeOf(audit), count, audit, floor));
    }
  };
  await audited('CSV', dir);
  const tree = await toTree(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  await audited('tree JSON', tree);
  fs.rmSync(tree, { recursive: true, force: true });
  return results;
}

/**
 * Peak memory of each larger run against the smaller run of the same format and mode: flat when
 * the ratio stays near 1. The RSS at the end is compared as well (what the audit still held).
 */
export function memoryGrowth(small: BenchResult[], large: BenchResult[]): BenchResult[] {
  const key = (r: BenchResult) => `${r.audit?.format} ${r.audit?.mode}`;
  return large.flatMap((big) => {
    const base = small.find((r) => key(r) === key(big));
    if (!base?.audit || !big.audit) return [];
    return [
      {
        name: `audit memory (${key(big)}): ${big.items.toLocaleString('en')} vs ${base.items.toLocaleString('en')} rows`,
        items: big.items,
        seconds: big.seconds,
        perSecond: big.perSecond,
        peakRssMb: big.peakRssMb,
        notes: `peak RSS ${base.peakRssMb} MB → ${big.peakRssMb} MB (${(big.peakRssMb / base.peakRssMb).toFixed(2)}×), at the end ${base.audit.endRssMb} MB → ${big.audit.endRssMb} MB, for ${(big.items / base.items).toFixed(1)}× the rows`
      }
    ];
  });
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
    'format     mode           records      rows   wall rows/s  ×Papa wall   rows/CPU s  ×Papa CPU  critical-path rows/s  ×Papa CPU  peak RSS MB  end RSS MB'
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
        a.mode.padEnd(12),
        a.records.toLocaleString('en').padStart(9),
        a.rows.toLocaleString('en').padStart(9),
        `${wallRate.toLocaleString('en')} ${mark(wallRate >= TARGET_RATE)}`.padStart(13),
        `${wallRatio.toFixed(1)}× ${mark(wallRatio <= TARGET_RATIO)}`.padStart(11),
        `${cpuRate.toLocaleString('en')} ${mark(cpuRate >= TARGET_RATE)}`.padStart(12),
        `${cpuRatio.toFixed(1)}× ${mark(cpuRatio <= TARGET_RATIO)}`.padStart(10),
        `${criticalRate.toLocaleString('en')} ${mark(criticalRate >= TARGET_RATE)}`.padStart(21),
        `${criticalRatio.toFixed(1)}× ${mark(criticalRatio <= TARGET_RATIO)}`.padStart(10),
        String(a.peakRssMb).padStart(11),
        String(a.endRssMb).padStart(10)
      ].join('  ')
    );
  }
  lines.push(
    'Bare Papa Parse: ' +
      results
        .filter((r) => r.audit?.format === 'CSV' && r.audit.mode === results[0]?.audit?.mode)
        .map(
          ({ audit: a }) =>
            `${a!.records.toLocaleString('en')} records: ${a!.papaWallSeconds.toFixed(1)} s wall, ${a!.papaCpuSeconds.toFixed(1)} s CPU`
        )
        .join('; ')
  );
  return lines;
}
