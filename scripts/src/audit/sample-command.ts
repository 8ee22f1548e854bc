import path from 'node:path';
import type { CommandIo } from '../cli/io';
import { EXPORT_FILES } from '../seed/export-layout';
import { SAMPLE_HMAC_KEY, SAMPLE_NOW, seedToFolder } from '../seed/seed-command';
import { auditFolder, printSummary } from './audit-command';

/** Size and seed of the built-in sample. */
export const SAMPLE = {
  count: 2000,
  seed: 42,
  syntheticRatio: 0.4,
  now: SAMPLE_NOW
};

/**
 * `npm start`: seed the built-in sample into `<out>/sample-export`, audit it into `<out>`, print
 * the summary and the report's path. The sample contains findings on purpose, so this exits 0
 * unless something fails to run.
 */
export async function runSample(out: string, io: CommandIo, json = false): Promise<number> {
  const exportDir = path.resolve(out, 'sample-export');
  const seeded = await seedToFolder(exportDir, { ...SAMPLE, hmacKey: SAMPLE_HMAC_KEY });
  const say = json ? () => {} : (line: string) => io.out(line);
  say(
    `Seeded the built-in sample (${Object.entries(seeded.counts)
      .map(([o, n]) => `${n} ${o}`)
      .join(', ')}) into ${path.relative(process.cwd(), exportDir)}.`
  );
  const { result, files, failOn } = await auditFolder({
    from: exportDir,
    out,
    format: 'html,json,md,junit,csv',
    failOn: 'high',
    slaDays: '7',
    now: SAMPLE.now,
    clock: "the built-in sample's reference time",
    hmacKeyFile: path.join(exportDir, EXPORT_FILES.hmacKey)
  });
  if (json)
    io.out(JSON.stringify({ export: exportDir, seeded, reports: files, ...result }, null, 2));
  else printSummary(result, files, failOn, io);
  say(
    '  The sample holds these findings on purpose: open the report to see what each control checks.'
  );
  return 0;
}
