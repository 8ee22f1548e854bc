import Papa from 'papaparse';
import fs from 'node:fs';
import path from 'node:path';
import { threadCpuSeconds } from '../src/audit/event-pass';
import { auditExportFolder } from '../src/audit/export-auditor';
import { loadPackagePolicy } from '../src/policy/package-policy';
import { PROJECT_ROOT } from '../src/project-root';
import { SAMPLE_HMAC_KEY } from '../src/seed/seed-command';

/** What one measured pass printed (JSON on stdout). */
export interface PassFigures {
  rows: number;
  seconds: number;
  /** CPU seconds of every thread of the process (main, event worker, GC, I/O). */
  cpuSeconds: number;
  /** CPU seconds of the main thread alone (the record audit). */
  mainCpuSeconds: number;
  /** CPU seconds of the event worker thread (chain verification); 0 when it ran in process. */
  workerCpuSeconds: number;
  /** Peak resident set of the process that ran only this pass (getrusage maxrss). */
  maxRssMb: number;
  /** Resident set once the pass had returned (what it still held, garbage included). */
  endRssMb: number;
  findings: number;
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/** A bare Papa Parse pass over every CSV of a folder (default 64 KiB reads, no work per row). */
async function barePapa(dir: string): Promise<number> {
  let rows = 0;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.csv')))
    await new Promise<void>((resolve, reject) =>
      Papa.parse<string[]>(fs.createReadStream(path.join(dir, name)), {
        skipEmptyLines: true,
        chunk: (results) => (rows += results.data.length),
        complete: () => resolve(),
        error: reject
      })
    );
  return rows;
}

/**
 * With `SDG_BENCH_MEMLOG_MS=<ms>`, the main thread's memory every `ms` on stderr (one JSON line,
 * MB): whether the resident set that grows is heap the audit holds, heap not yet collected, or
 * buffers outside the heap. The event worker's heap is not in `heapUsed`.
 */
function logMemory(everyMs: number): void {
  if (!(everyMs > 0)) return;
  const started = Date.now();
  const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));
  setInterval(() => {
    const m = process.memoryUsage();
    process.stderr.write(
      `${JSON.stringify({ s: Math.round((Date.now() - started) / 1000), rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) })}\n`
    );
  }, everyMs).unref();
}

/**
 * One pass in a process of its own, so its peak memory is its own: `audit-run.ts papa|audit
 * <dir>`. Run by audit.bench.ts.
 */
async function main(): Promise<void> {
  const [kind, dir = ''] = process.argv.slice(2);
  logMemory(Number(process.env.SDG_BENCH_MEMLOG_MS ?? 0));
  const cpu = process.cpuUsage();
  const mainCpu = threadCpuSeconds();
  let workerCpuSeconds = 0;
  const started = process.hrtime.bigint();
  let rows = 0;
  let findings = 0;
  if (kind === 'papa') rows = await barePapa(dir);
  else {
    const result = await auditExportFolder(dir, {
      policy: loadPackagePolicy(PROJECT_ROOT),
      now: '2026-06-01T12:00:00.000Z',
      slaDays: 7,
      keys: { hmacKey: SAMPLE_HMAC_KEY },
      onEventWorker: (figures) => (workerCpuSeconds = figures.cpuSeconds)
    });
    rows = result.rows;
    findings = result.findings.length;
  }
  const figures: PassFigures = {
    rows,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpuSeconds: cpuSeconds(cpu),
    mainCpuSeconds: threadCpuSeconds() - mainCpu,
    workerCpuSeconds,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    endRssMb: Math.round(process.memoryUsage.rss() / (1024 * 1024)),
    findings
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

if (require.main === module) void main();
