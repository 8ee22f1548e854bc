import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyToExport } from '../src/recall/recall-apply';
import { planFromExport } from '../src/recall/recall-plan';
import { parseSelector } from '../src/recall/recall-selector';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../src/seed/seed-command';
import type { BenchResult } from './policy.bench';

async function measured<T>(
  run: () => Promise<T>
): Promise<{ value: T; seconds: number; growthMb: number; peakMb: number }> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = process.hrtime.bigint();
  const value = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  return {
    value,
    seconds,
    growthMb: Math.round((peak - baseline) / 1024 / 1024),
    peakMb: Math.round(peak / 1024 / 1024)
  };
}

/**
 * Plans and applies a recall by model on a generated export of `count` records: rows scanned per
 * second, and how far memory grows (it holds the selected ids, never the rows).
 */
export async function benchRecall(count: number): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-bench-recall-'));
  const source = path.join(dir, 'export');
  await seedToFolder(source, {
    count,
    seed: 1,
    syntheticRatio: 0.4,
    now: '2026-06-01T12:00:00.000Z',
    hmacKey: SAMPLE_HMAC_KEY
  });
  const selector = parseSelector({ model: ['local/*', 'unknown-vendor/*'] });
  const planned = await measured(() =>
    planFromExport(source, { action: 'quarantine', selector, now: '2026-06-02T00:00:00.000Z' })
  );
  const applied = await measured(() =>
    applyToExport(planned.value, { to: path.join(dir, 'applied') })
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return [
    {
      name: `recall plan: ${count.toLocaleString('en')} records`,
      items: count,
      seconds: planned.seconds,
      perSecond: Math.round(count / planned.seconds),
      peakRssMb: planned.peakMb,
      notes: `${planned.value.total} selected; RSS growth while planning ${planned.growthMb} MB`
    },
    {
      name: `recall apply: ${count.toLocaleString('en')} records`,
      items: count,
      seconds: applied.seconds,
      perSecond: Math.round(count / applied.seconds),
      peakRssMb: applied.peakMb,
      notes: `${applied.value.applied} changed, backed up, with Bulk API CSVs; RSS growth while applying ${applied.growthMb} MB`
    }
  ];
}
