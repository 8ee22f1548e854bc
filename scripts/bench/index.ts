import fs from 'node:fs';
import path from 'node:path';
import { benchVerifyChain } from './audit-chain.bench';
import { auditTable, benchAudit, memoryGrowth } from './audit.bench';
import { benchMedia, benchMediaAgreement } from './media.bench';
import { benchRecall } from './recall.bench';
import { BenchResult, benchPolicy } from './policy.bench';

/**
 * `npm run bench`: performance targets live here, never in unit tests. Prints a table and writes
 * reports/bench.json so runs can be compared. `--quick` runs a tenth of the size; `--audit-records N`
 * adds an audit of N records and its peak memory against the 1M-record run; `--in-process` audits
 * each export in the main thread as well as with the event worker. `--media <folder>`
 * measures the media scanner against c2pa-wasm over that folder (the c2pa-rs fixture suite).
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const mediaAt = process.argv.indexOf('--media');
  const mediaFolder = mediaAt >= 0 ? process.argv[mediaAt + 1] : undefined;
  if (mediaFolder !== undefined && !fs.existsSync(mediaFolder)) {
    console.error(`No folder ${mediaFolder}: give --media the folder of media to compare.`);
    process.exitCode = 2;
    return;
  }
  if (process.argv.includes('--media-only')) {
    print([benchMediaAgreement(mediaFolder)]);
    return;
  }
  const scale = quick ? 0.1 : 1;
  // --audit-only: the export audit figures alone (CSV, tree JSON, bare Papa Parse, memory).
  const auditOnly = process.argv.includes('--audit-only');
  const results: BenchResult[] = auditOnly ? [] : [benchPolicy(Math.round(1_000_000 * scale))];
  // 200k then 1M: peak memory must not grow with the chain's length.
  if (!auditOnly) {
    results.push(await benchVerifyChain(Math.round(200_000 * scale)));
    results.push(await benchVerifyChain(Math.round(1_000_000 * scale)));
  }
  // An export of 200k and of 1M records: rows/second and whether memory grows with the export.
  // `--audit-records N` adds a larger export (e.g. 5000000 records, about 10M rows) and compares
  // its peak memory with the 1M-record run's; too slow for every run, never in npm test.
  // Each as `sdg audit` chooses (event worker or not); `--in-process` adds the main thread alone.
  const modes = { inProcess: process.argv.includes('--in-process') };
  const small = await benchAudit(Math.round(200_000 * scale), modes);
  const million = await benchAudit(Math.round(1_000_000 * scale), modes);
  results.push(...small, ...million);
  const largerAt = process.argv.indexOf('--audit-records');
  const larger = largerAt >= 0 ? Number(process.argv[largerAt + 1]) : NaN;
  if (Number.isSafeInteger(larger) && larger > 0) {
    const big = await benchAudit(larger, modes);
    results.push(...big, ...memoryGrowth(million, big));
  } else results.push(...memoryGrowth(small, million));
  if (auditOnly) {
    print(results);
    return;
  }
  // Recall plan + apply by model on 200k and 1M records: throughput, and memory that stays flat.
  results.push(...(await benchRecall(Math.round(200_000 * scale))));
  results.push(...(await benchRecall(Math.round(1_000_000 * scale))));
  // A folder of large media: files/s, and bytes read per file must stay near the metadata size.
  results.push(benchMedia(quick ? 3 : 30));
  // Agreement with c2pa-wasm and the speed ratio, both as processes of their own.
  results.push(benchMediaAgreement(mediaFolder));
  print(results);
  const out = path.join(process.cwd(), 'reports', 'bench.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ node: process.version, quick, results }, null, 2));
  console.log(`Wrote ${path.relative(process.cwd(), out)}.`);
}

function print(results: BenchResult[]): void {
  console.log(
    'benchmark                         items      seconds   per second   peak RSS (MB)  notes'
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(40)} ${String(r.items).padStart(9)} ${r.seconds.toFixed(2).padStart(10)} ${String(r.perSecond).padStart(12)} ${String(r.peakRssMb).padStart(15)}  ${r.notes}`
    );
  }
  if (results.some((r) => r.audit)) {
    console.log('');
    for (const line of auditTable(results)) console.log(line);
  }
}

void main();
