import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { HASHED_FIELDS } from '../src/audit-chain/canonical';
import { generateChain } from '../src/audit-chain/chain-generator';
import { COLUMNS } from '../src/audit-chain/export-reader';
import { verifyChainFile } from '../src/audit-chain/verify-chain-command';
import type { BenchResult } from './policy.bench';

const KEY = Buffer.from('benchmark-hmac-key');

/** Writes a generated chain as a Bulk API-style CSV export, streaming (constant memory). */
async function writeExport(file: string, count: number): Promise<void> {
  const columns = [...HASHED_FIELDS, 'hash', 'signature'] as const;
  const out = fs.createWriteStream(file);
  const quote = (value: string) =>
    /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  out.write(`${columns.map((c) => COLUMNS[c]).join(',')}\n`);
  for (const event of generateChain(count, KEY, 1000)) {
    if (!out.write(`${columns.map((c) => quote(String(event[c]))).join(',')}\n`))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Verifies an export of `count` events from disk; reports events/s and peak RSS while verifying. */
export async function benchVerifyChain(count: number): Promise<BenchResult> {
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-bench-')),
    `chain-${count}.csv`
  );
  await writeExport(file, count);
  const size = fs.statSync(file).size;
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = process.hrtime.bigint();
  const report = await verifyChainFile(file, { hmacKeyFile: undefined });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  if (!report.intact || report.events !== count)
    throw new Error(`benchmark chain did not verify: ${JSON.stringify(report.firstBreak)}`);
  return {
    name: `verify-chain: ${count.toLocaleString('en')} events`,
    items: count,
    seconds,
    perSecond: Math.round(count / seconds),
    peakRssMb: Math.round(peak / 1024 / 1024),
    notes: `${Math.round(size / 1024 / 1024)} MB CSV; RSS growth while verifying ${Math.round((peak - baseline) / 1024 / 1024)} MB`
  };
}
