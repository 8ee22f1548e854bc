import fs from 'node:fs';
import path from 'node:path';
import { benchVerifyChain } from './audit-chain.bench';
import { benchAudit } from './audit.bench';
import { benchMedia, benchMediaAgreement } from './media.bench';
import { benchRecall } from './recall.bench';
import { BenchResult, benchPolicy } from './policy.bench';

/**
 * `npm run bench`: performance targets live here, never in unit tests. Prints a table and writes
 * reports/bench.json so runs can be compared. `--quick` runs a tenth of the size. `--media <folder>`
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
  const results: BenchResult[] = [benchPolicy(Math.round(1_000_000 * scale))];
  // 200k then 1M: peak memory must not grow with the chain's length.
  results.push(await benchVerifyChain(Math.round(200_000 * scale)));
  results.push(await benchVerifyChain(Math.round(1_000_000 * scale)));
  // An export of 200k and of 1M records: rows/second and whether memory grows with the export.
  results.push(...(await benchAudit(Math.round(200_000 * scale))));
  results.push(...(await benchAudit(Math.round(1_000_000 * scale))));
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
}

void main();
