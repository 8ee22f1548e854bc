import fs from 'node:fs';
import path from 'node:path';
import { makeFolder, replaceFolder } from '../cli/paths';
import { exitOnUserError, pathErrorMessage, UsageError } from '../cli/errors';
import type { CommandIo } from '../cli/io';
import { loadPackagePolicy } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { EXPORT_FILES } from './export-layout';
import { Progress, progressBar, SILENT_PROGRESS } from '../cli/progress';
import { connectOrg, withOrgErrors } from '../org/org-connection';
import { readOrgPolicy } from '../org/org-policy';
import type { SalesforceApi } from '../org/salesforce-api';
import { ExportWriter, TREE_MAX_RECORDS } from './export-writer';
import { ORG_SEED_MAX, OrgSeedSummary, requirePolicy, seedOrg } from './org-seeder';
import { generateSeed, SeedOptions } from './seed-generator';

/** Options of `sdg seed` as parsed from the command line. */
export interface SeedCommandOptions {
  out?: string;
  targetOrg?: string;
  count: string;
  seed: string;
  syntheticRatio: string;
  now?: string;
  json?: boolean;
  bulkThreshold?: string;
  reportDir?: string;
  /** Write over a folder that already holds files (its content is replaced). */
  force?: boolean;
}

/** The sample's checkpoint key: published here on purpose, it signs demo data only. */
export const SAMPLE_HMAC_KEY = Buffer.from('synthetic-data-guard-sample-checkpoint-key');

/** Reference time of offline exports unless --now says otherwise. */
export const SAMPLE_NOW = '2026-06-01T12:00:00.000Z';

/** Summary of a seed run (`--json`). */
export interface SeedSummary {
  out: string;
  seed: number;
  counts: Record<string, number>;
  decisions: Record<string, number>;
  profiles: Record<string, number>;
  head: string;
  tree: boolean;
}

function parseOptions(options: SeedCommandOptions): SeedOptions {
  const count = Number(options.count);
  const seed = Number(options.seed);
  const ratio = Number(options.syntheticRatio);
  // An export is reproducible around a fixed date; an org judges timestamps against its clock.
  const now = options.now ?? (options.targetOrg ? new Date().toISOString() : SAMPLE_NOW);
  if (!Number.isInteger(count) || count < 1 || count > 10_000_000)
    throw new UsageError(
      `--count must be a whole number from 1 to 10000000, got "${options.count}".`
    );
  if (!Number.isInteger(seed))
    throw new UsageError(`--seed must be a whole number, got "${options.seed}".`);
  if (!(ratio >= 0 && ratio <= 1))
    throw new UsageError(
      `--synthetic-ratio must be between 0 and 1, got "${options.syntheticRatio}".`
    );
  if (Number.isNaN(Date.parse(now)))
    throw new UsageError(`--now must be an ISO 8601 date-time, got "${now}".`);
  return {
    count,
    seed,
    syntheticRatio: ratio,
    now: new Date(now).toISOString(),
    hmacKey: SAMPLE_HMAC_KEY
  };
}

/** Generates the export folder; returns the summary. */
export async function seedToFolder(
  out: string,
  options: SeedOptions,
  projectRoot = PROJECT_ROOT,
  progress: Progress = SILENT_PROGRESS,
  /** The folder the export ends up in, when `out` is a staging folder. */
  finalOut = out
): Promise<SeedSummary> {
  const policy = loadPackagePolicy(projectRoot);
  const withTree = options.count <= TREE_MAX_RECORDS;
  const writer = new ExportWriter(out, withTree);
  const decisions: Record<string, number> = {};
  const profiles: Record<string, number> = {};
  let head = '';
  progress.start(`Seeding ${path.basename(out)}`, options.count);
  for (const item of generateSeed(options, policy)) {
    if (item.kind !== 'event') progress.tick();
    if (item.kind === 'record') {
      await writer.record(item.record);
      await writer.history(item.record, options.now);
      profiles[item.record.profile] = (profiles[item.record.profile] ?? 0) + 1;
    } else if (item.kind === 'event') {
      await writer.event(item.event);
      head = item.event.hash;
      // A bypassed record has no decision: it is counted under its event type (BYPASS).
      const bucket = item.event.decision || item.event.eventType.toUpperCase();
      if (item.event.eventType !== 'Checkpoint') decisions[bucket] = (decisions[bucket] ?? 0) + 1;
    }
  }
  progress.stop();
  await writer.close();
  writer.writePolicy(policy);
  fs.writeFileSync(path.join(out, EXPORT_FILES.hmacKey), `${options.hmacKey.toString('base64')}\n`);
  const summary: SeedSummary = {
    out: finalOut,
    seed: options.seed,
    counts: writer.counts,
    decisions,
    profiles,
    head,
    tree: withTree
  };
  writer.writeJson(EXPORT_FILES.manifest, {
    generator: 'sdg seed',
    referenceTime: options.now,
    syntheticRatio: options.syntheticRatio,
    ...summary
  });
  return summary;
}

/** Seeds an org; returns the exit code (1 when records failed unexpectedly or counts differ). */
export async function seedOrgCommand(
  options: SeedCommandOptions,
  io: CommandIo,
  connect: (org: string) => Promise<SalesforceApi> = connectOrg
): Promise<number> {
  const org = options.targetOrg ?? '';
  const seedOptions = parseOptions(options);
  if (seedOptions.count > ORG_SEED_MAX)
    throw new UsageError(
      `--count ${seedOptions.count} is more than sdg seed loads into an org (${ORG_SEED_MAX}). Write an export with --out and load it with Data Loader or sf data import bulk.`
    );
  const bulkThreshold = Number(options.bulkThreshold ?? 5000);
  if (!Number.isInteger(bulkThreshold) || bulkThreshold < 0)
    throw new UsageError(
      `--bulk-threshold must be a whole number of records, got "${options.bulkThreshold}".`
    );
  const api = await connect(org);
  const summary = await withOrgErrors(org, async () =>
    seedOrg(api, requirePolicy(await readOrgPolicy(api), org), {
      seed: seedOptions,
      bulkThreshold,
      reportDir: path.resolve(options.reportDir ?? 'reports'),
      progress: progressBar(options.json)
    })
  );
  if (options.json) io.out(JSON.stringify(summary, null, 2));
  else printOrgSummary(summary, io);
  return summary.failed === 0 && summary.triggersActed ? 0 : 1;
}

function printOrgSummary(summary: OrgSeedSummary, io: CommandIo): void {
  const sent = Object.values(summary.sent).reduce((n, c) => n + c, 0);
  const ok = summary.failed === 0 && summary.triggersActed;
  io.out(
    `${ok ? '✔' : '✖'} Seeded ${summary.org} through ${summary.api}: ${sent} sent, ${summary.created} created, ${summary.updated} updated, ${summary.rejectedByPolicy} rejected by policy (as predicted), ${summary.failed} failed.`
  );
  if (summary.failuresFile)
    io.out(
      `  Per-record failures: ${path.relative(process.cwd(), summary.failuresFile) || summary.failuresFile}`
    );
  const wrong = summary.statusCheck.filter((c) => !c.ok);
  if (summary.triggersActed)
    io.out('  Triggers acted: every status count matches what the org policy predicts.');
  else {
    io.out(
      '  Triggers did NOT act as predicted (are they active? is the loading user bypassed or the kill switch on?):'
    );
    for (const c of wrong)
      io.out(
        `    ${c.object} ${c.status}: expected ${c.min === c.max ? c.min : `${c.min}-${c.max}`}, found ${c.actual}`
      );
  }
}

/**
 * Checks `--out` can take a new export and makes the staging folder beside it: a seed writes
 * there and becomes `--out` only when complete, so an interrupted run never mixes partial files
 * with a previous export. A folder that holds files is refused unless `--force`.
 */
export function prepareOut(out: string, force: boolean): string {
  if (fs.existsSync(out)) {
    if (!fs.statSync(out).isDirectory())
      throw new UsageError(`--out ${out} is a file; give a folder (new or empty) for the export.`);
    if (fs.readdirSync(out).length > 0 && !force)
      throw new UsageError(
        `--out ${out} already holds files (a previous export?); give a new or empty folder, or add --force to replace its content.`
      );
  }
  const staging = path.join(path.dirname(out), `.${path.basename(out)}.seed-tmp`);
  try {
    fs.rmSync(staging, { recursive: true, force: true });
    makeFolder(staging);
    // Writable here means writable for the whole run: fail now, not after gigabytes.
    fs.writeFileSync(path.join(staging, '.probe'), '');
    fs.rmSync(path.join(staging, '.probe'));
  } catch (error) {
    // The staging folder is ours, not the user's: name the --out they gave.
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !pathErrorMessage(error)) throw error;
    throw new UsageError(
      `--out ${out} cannot be written: the export is staged beside it, in ${path.dirname(out)}, which cannot hold a new folder (${code}); give a folder under one you can write to.`
    );
  }
  return staging;
}

/** `sdg seed (--out <dir> | --target-org <alias>) [--count N] [--seed S] [--synthetic-ratio R]`. */
export async function runSeed(
  options: SeedCommandOptions,
  io: CommandIo,
  connect: (org: string) => Promise<SalesforceApi> = connectOrg
): Promise<number> {
  return exitOnUserError(io, async () => {
    if (options.targetOrg && options.out)
      throw new UsageError('Seed one place at a time: --target-org <alias> or --out <dir>.');
    if (options.targetOrg) return await seedOrgCommand(options, io, connect);
    if (!options.out)
      throw new UsageError('Say where to write the data: --out <dir> or --target-org <alias>.');
    const out = path.resolve(options.out);
    const seedOptions = parseOptions(options);
    const staging = prepareOut(out, options.force ?? false);
    const summary = await seedToFolder(
      staging,
      seedOptions,
      PROJECT_ROOT,
      progressBar(options.json),
      out
    );
    replaceFolder(staging, out);
    if (options.json) {
      io.out(JSON.stringify(summary, null, 2));
    } else {
      io.out(
        `✔ Seeded ${path.relative(process.cwd(), summary.out) || '.'}: ${Object.entries(
          summary.counts
        )
          .map(([o, n]) => `${n} ${o}`)
          .join(', ')}.`
      );
      io.out(
        `  Decisions: ${Object.entries(summary.decisions)
          .map(([d, n]) => `${d} ${n}`)
          .join(', ')}. Audit chain head ${summary.head}.`
      );
      if (summary.tree)
        io.out(
          `  Load into an org: sf data import tree --plan ${path.join(path.relative(process.cwd(), summary.out), 'tree', 'plan.json')}`
        );
    }
    return 0;
  });
}
