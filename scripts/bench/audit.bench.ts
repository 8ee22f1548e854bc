import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditExportFolder } from '../src/audit/export-auditor';
import { loadPackagePolicy } from '../src/policy/package-policy';
import { PROJECT_ROOT } from '../src/project-root';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../src/seed/seed-command';
import type { BenchResult } from './policy.bench';

/** Audits a generated export of `count` records (plus their audit events) from disk. */
export async function benchAudit(count: number): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-bench-audit-'));
  await seedToFolder(dir, {
    count,
    seed: 1,
    syntheticRatio: 0.4,
    now: '2026-06-01T12:00:00.000Z',
    hmacKey: SAMPLE_HMAC_KEY
  });
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
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    name: `audit --from: ${count.toLocaleString('en')} records`,
    items: result.rows,
    seconds,
    perSecond: Math.round(result.rows / seconds),
    peakRssMb: Math.round(peak / 1024 / 1024),
    notes: `${result.rows} rows (records + audit events); RSS growth while auditing ${Math.round((peak - baseline) / 1024 / 1024)} MB; ${result.findings.length} findings`
  };
}
