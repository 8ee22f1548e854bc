import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureIo } from '../../test/capture-io';
import { runCli } from '../cli/program';
import { seedToFolder } from '../seed/seed-command';
import { SAMPLE_HMAC_KEY } from '../seed/seed-command';
import { listFiles, RECALLS_DIR } from './recall-export';
import { matches, parseSelector, soqlFor } from './recall-selector';
import { loadSelectorVectors } from './recall-vectors';
import type { PolicySet } from '../policy/package-policy';
import { stagingFolder, type ApplySummary } from './recall-apply';
import type { PlanSummary, RecallPlan } from './recall-plan';
import type { UndoSummary } from './recall-undo';
import { readRawRecords } from './raw-csv';

const NOW = '2026-06-02T00:00:00.000Z';
let base: string;
let seeded: string;

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-recall-'));
  seeded = path.join(base, 'seeded');
  await seedToFolder(seeded, {
    count: 400,
    seed: 11,
    syntheticRatio: 0.5,
    now: '2026-06-01T12:00:00.000Z',
    hmacKey: SAMPLE_HMAC_KEY
  });
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const dir = (name: string) => path.join(base, name);

/** Every key the recall and audit commands print with --json (each command prints some). */
type CliJson = PlanSummary &
  ApplySummary &
  UndoSummary & { findings: { control: string; ids?: string[] }[] };

/** results.json of a recall. */
interface ResultsFile {
  records: { object: string; id: string; message?: string }[];
}

async function sdg(...args: string[]) {
  const { io, out, err } = captureIo();
  const code = await runCli(args, io);
  const text = out.join('\n');
  const json = (text.startsWith('{') ? JSON.parse(text) : {}) as CliJson;
  return { code, out: text, err: err.join('\n'), json };
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** A copy of the seeded export in one format: the CSVs, or only the sObject tree files. */
function exportIn(format: 'csv' | 'tree', name: string): string {
  const target = dir(name);
  fs.rmSync(target, { recursive: true, force: true });
  if (format === 'csv') fs.cpSync(seeded, target, { recursive: true });
  else fs.cpSync(path.join(seeded, 'tree'), target, { recursive: true });
  return target;
}

/** Every file of a folder outside recalls/, with its bytes. */
function snapshot(folder: string): Map<string, string> {
  return new Map(
    listFiles(folder).map((rel) => [rel, fs.readFileSync(path.join(folder, rel), 'latin1')])
  );
}

async function plan(from: string, out: string, ...selector: string[]) {
  return sdg('recall', 'plan', '--from', from, '--now', NOW, '--out', out, '--json', ...selector);
}

/** Plans a restore of what Shady Enrichment Co changed since 2026-05-01 and applies it. */
async function restoreShady(from: string, name: string, confirm: string) {
  const planFile = dir(`${name}.json`);
  const planned = await plan(
    from,
    planFile,
    '--action',
    'restore',
    '--source',
    'Shady Enrichment Co',
    '--since',
    '2026-05-01'
  );
  const to = dir(`${name}-applied`);
  const applied = await sdg(
    'recall',
    'apply',
    planFile,
    '--confirm',
    confirm,
    '--to',
    to,
    '--json'
  );
  const results = readJson<ResultsFile>(
    path.join(to, RECALLS_DIR, (applied.json as { recallId: string }).recallId, 'results.json')
  );
  return { planFile, planned, to, applied, results };
}

async function rows(file: string): Promise<string[][]> {
  const all: string[][] = [];
  for await (const r of readRawRecords(file)) all.push(r.values);
  return all;
}

describe('recall selector shared vectors', () => {
  it.each(loadSelectorVectors().vectors.map((v) => [v.name, v] as const))('%s', (_n, v) => {
    const selector = parseSelector(v.selector);
    const get = (field: string) => v.record[field] ?? '';
    expect(matches(selector, v.object, get)).toBe(v.expected);
  });

  it('quotes and escapes every literal in the SOQL it documents', () => {
    const selector = parseSelector({ model: ["o'brien/*", 'a_b%'], reason: ['RECALLED'] });
    expect(soqlFor(selector, 'Lead')).toBe(
      "SELECT Id FROM Lead WHERE (AI_Model__c IN ('a_b%') OR AI_Model__c LIKE 'o\\'brien/%') AND Synthetic_Reasons__c LIKE '%RECALLED%' ORDER BY Id"
    );
  });
});

describe('sdg recall plan: bad selectors exit 2 and write nothing', () => {
  it.each([
    [['--action', 'quarantine'], /Say which records/],
    [['--action', 'quarantine', '--status', 'Gone'], /--status "Gone" is not one of/],
    [['--action', 'quarantine', '--object', 'Widget__c'], /--object "Widget__c"/],
    [['--action', 'quarantine', '--reason', 'NOPE'], /--reason "NOPE"/],
    [['--action', 'quarantine', '--since', 'yesterday'], /--since must be an ISO 8601/],
    [
      ['--action', 'quarantine', '--since', '2026-02-01', '--until', '2026-01-01'],
      /must be before/
    ],
    [['--action', 'quarantine', '--model', '*'], /--model needs a value/],
    [['--action', 'shred', '--model', 'x'], /--action must be one of/],
    [['--model', 'x'], /--action must be one of/],
    [['--retention', '--action', 'delete'], /drop --action/]
  ])('%j', async (args, message) => {
    const out = dir('never.json');
    const result = await plan(seeded, out, ...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a selector on a column the export does not have', async () => {
    const from = exportIn('csv', 'no-batch');
    const lead = path.join(from, 'Lead.csv');
    const lines = fs.readFileSync(lead, 'utf8').split('\n');
    const cut = (line: string) => line.split(',').slice(0, -1).join(',');
    fs.writeFileSync(lead, lines.map((l) => (l ? cut(l) : l)).join('\n'));
    const result = await plan(from, dir('nb.json'), '--action', 'quarantine', '--batch', 'x');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/Lead\.csv has no Provenance_Batch__c column/);
  });

  it('says when the export folder is missing', async () => {
    const result = await plan(dir('nowhere'), dir('x.json'), '--action', 'delete', '--model', 'a');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/no such export folder/);
  });
});

describe.each(['csv', 'tree'] as const)('sdg recall on a %s export', (format) => {
  let from: string;
  beforeAll(() => {
    from = exportIn(format, `${format}-source`);
  });

  it('plans by model: counts, ids, SOQL and a digest; --json has the documented keys', async () => {
    const result = await plan(
      from,
      dir(`${format}-model.json`),
      '--action',
      'quarantine',
      '--model',
      'local/*',
      '--model',
      'unknown-vendor/*'
    );
    expect(result.code).toBe(0);
    expect(Object.keys(result.json).sort()).toEqual(
      ['action', 'counts', 'digest', 'out', 'recallId', 'selector', 'total'].sort()
    );
    const written = readJson<RecallPlan>(dir(`${format}-model.json`));
    expect(written.total).toBe(result.json.total);
    expect(result.json.total).toBeGreaterThan(0);
    expect(written.soql.Lead).toMatch(/AI_Model__c LIKE 'local\/%'/);
    for (const [object, ids] of Object.entries(written.records))
      expect(ids.length).toBe(written.counts[object]);
  });

  it.each([
    ['--source', 'marketing webhook'],
    ['--batch', 'sdg-seed-11-2026-05-20'],
    ['--status', 'Quarantined'],
    ['--reason', 'UNTRUSTED_MODEL'],
    ['--object', 'Lead']
  ])('plans by %s', async (flag, value) => {
    const result = await plan(
      from,
      dir(`${format}-${flag}.json`),
      '--action',
      'quarantine',
      flag,
      value
    );
    expect(result.code).toBe(0);
    expect(result.json.total).toBeGreaterThan(0);
  });

  it('plans a window on Generated_At__c', async () => {
    const all = await plan(
      from,
      dir(`${format}-all.json`),
      '--action',
      'quarantine',
      '--since',
      '2000-01-01'
    );
    const half = await plan(
      from,
      dir(`${format}-half.json`),
      '--action',
      'quarantine',
      '--since',
      '2000-01-01',
      '--until',
      '2026-05-15'
    );
    expect(half.json.total).toBeGreaterThan(0);
    expect(half.json.total).toBeLessThan(all.json.total);
  });

  it('quarantines, is verified by sdg audit, and undoes to the exact original; the undo undoes too', async () => {
    const planFile = dir(`${format}-q.json`);
    const planned = await plan(from, planFile, '--action', 'quarantine', '--model', 'local/*');
    const to = dir(`${format}-q-applied`);
    const wrong = await sdg(
      'recall',
      'apply',
      planFile,
      '--confirm',
      String(planned.json.total + 1),
      '--to',
      to
    );
    expect(wrong.code).toBe(2);
    // The right count is never printed back: it says where to read it instead.
    // (The temporary folder's random name may hold the digit, so the path is left out.)
    expect(wrong.err.replace(planFile, '')).not.toMatch(new RegExp(`\\b${planned.json.total}\\b`));
    expect(wrong.err).toContain(`"total" in ${planFile}`);
    expect(fs.existsSync(to)).toBe(false);
    const applied = await sdg(
      'recall',
      'apply',
      planFile,
      '--confirm',
      String(planned.json.total),
      '--to',
      to,
      '--json'
    );
    expect(applied.code).toBe(0);
    expect(Object.keys(applied.json).sort()).toEqual(
      ['applied', 'backup', 'changes', 'failed', 'recallId', 'resumed', 'skipped'].sort()
    );
    expect(applied.json.applied + applied.json.skipped).toBe(planned.json.total);
    const folder = path.join(to, RECALLS_DIR, planned.json.recallId);
    expect(fs.existsSync(path.join(folder, 'plan.json'))).toBe(true);
    expect(fs.existsSync(path.join(folder, 'results.json'))).toBe(true);
    // Only the status and reasons of the recalled records differ.
    const before = snapshot(from);
    const after = snapshot(to);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    if (format === 'csv') {
      const changed = await rows(path.join(to, 'Lead.csv'));
      const original = await rows(path.join(from, 'Lead.csv'));
      const header = original[0]!;
      const ids = new Set(readJson<RecallPlan>(planFile).records.Lead ?? []);
      original.forEach((row, i) => {
        const diff = header.filter((_c, j) => row[j] !== changed[i]![j]);
        if (ids.has(row[0] ?? '')) {
          expect(changed[i]![header.indexOf('Synthetic_Status__c')]).toBe('Quarantined');
          expect(changed[i]![header.indexOf('Synthetic_Reasons__c')]).toMatch(/RECALLED/);
          for (const column of diff)
            expect(['Synthetic_Status__c', 'Synthetic_Reasons__c']).toContain(column);
        } else expect(diff).toEqual([]);
      });
      const audit = await sdg(
        'audit',
        '--from',
        to,
        '--out',
        dir(`${format}-audit`),
        '--format',
        'json',
        '--now',
        NOW,
        '--json'
      );
      expect(audit.code).not.toBe(2);
      const drift = audit.json.findings.filter((f) => f.control === 'SDG-02');
      for (const finding of drift)
        for (const id of finding.ids ?? []) expect(ids.has(id)).toBe(false);
    }
    const restored = dir(`${format}-q-restored`);
    const undone = await sdg('recall', 'undo', folder, '--to', restored, '--json', '--now', NOW);
    expect(undone.code).toBe(0);
    expect(undone.json.restored).toBe(applied.json.applied);
    expect(snapshot(restored)).toEqual(before);
    const again = dir(`${format}-q-redone`);
    const redo = await sdg(
      'recall',
      'undo',
      path.join(restored, RECALLS_DIR, undone.json.recallId),
      '--to',
      again
    );
    expect(redo.code).toBe(0);
    expect(snapshot(again)).toEqual(after);
  });

  it('deletes with the children of deleted parents, and undoes exactly', async () => {
    const planFile = dir(`${format}-d.json`);
    const planned = await plan(
      from,
      planFile,
      '--action',
      'delete',
      '--object',
      'Account',
      '--model',
      'openai/*'
    );
    const written = readJson<RecallPlan>(planFile);
    expect(Object.values(written.cascaded).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const to = dir(`${format}-d-applied`);
    const applied = await sdg(
      'recall',
      'apply',
      planFile,
      '--confirm',
      String(planned.json.total),
      '--to',
      to,
      '--json'
    );
    expect(applied.code).toBe(0);
    expect(applied.json.applied).toBe(planned.json.total);
    if (format === 'csv') {
      const gone = new Set(Object.values(written.records).flat());
      for (const object of ['Contact', 'Opportunity', 'Case']) {
        const remaining = await rows(path.join(to, `${object}.csv`));
        const at = remaining[0]!.indexOf('AccountId');
        for (const row of remaining.slice(1)) expect(gone.has(row[at]!)).toBe(false);
      }
      const deletes = fs.readFileSync(
        path.join(applied.json.changes, 'Account-delete.csv'),
        'utf8'
      );
      expect(deletes.split('\n')[0]).toBe('Id');
    }
    const restored = dir(`${format}-d-restored`);
    expect(
      (
        await sdg(
          'recall',
          'undo',
          path.join(to, RECALLS_DIR, planned.json.recallId),
          '--to',
          restored
        )
      ).code
    ).toBe(0);
    expect(snapshot(restored)).toEqual(snapshot(from));
  });
});

describe('sdg recall apply: interrupted, resumed, never twice', () => {
  it('resumes from the checkpoint after a crash and ends exactly as an uninterrupted apply', async () => {
    const from = exportIn('csv', 'crash-source');
    const planFile = dir('crash.json');
    const planned = await plan(from, planFile, '--action', 'delete', '--model', 'openai/*');
    const total = String(planned.json.total);
    const clean = dir('crash-clean');
    await sdg('recall', 'apply', planFile, '--confirm', total, '--to', clean);

    const { runRecallApply } = await import('./recall-command');
    const to = dir('crash-applied');
    const first = captureIo();
    await expect(
      runRecallApply(planFile, { confirm: total, to, interruptAfterFiles: 2 }, first.io)
    ).rejects.toThrow(/interrupted/);
    // The crash left the destination as it was (absent): the work is in the staging folder.
    expect(fs.existsSync(to)).toBe(false);
    const staging = stagingFolder(to, planned.json.recallId);
    const work = path.join(staging, RECALLS_DIR, planned.json.recallId);
    expect(fs.existsSync(path.join(work, 'checkpoint.json'))).toBe(true);
    expect(fs.existsSync(path.join(work, 'results.json'))).toBe(false);
    const early = await sdg('recall', 'undo', work, '--to', dir('crash-undo-early'));
    expect(early.code).toBe(2);
    expect(early.err).toMatch(/did not finish; run sdg recall apply again/);

    const resumed = await sdg(
      'recall',
      'apply',
      planFile,
      '--confirm',
      total,
      '--to',
      to,
      '--json'
    );
    expect(resumed.code).toBe(0);
    expect(resumed.json.resumed).toBe(true);
    expect(resumed.json.applied).toBe(planned.json.total);
    expect(fs.existsSync(staging)).toBe(false);
    const folder = path.join(to, RECALLS_DIR, planned.json.recallId);
    const results = readJson<ResultsFile>(path.join(folder, 'results.json'));
    const keys = results.records.map((r) => `${r.object}/${r.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(snapshot(to)).toEqual(snapshot(clean));
    expect(fs.readdirSync(folder).sort()).toEqual([
      'backup',
      'changes',
      'plan.json',
      'results.json'
    ]);

    const again = await sdg('recall', 'apply', planFile, '--confirm', total, '--to', to, '--json');
    expect(again.code).toBe(0);
    expect(again.json.applied).toBe(planned.json.total);
    expect(snapshot(to)).toEqual(snapshot(clean));
  });

  it('finishes a file whose rewrite was staged but not yet renamed', async () => {
    const from = exportIn('csv', 'staged-source');
    const planFile = dir('staged.json');
    const planned = await plan(
      from,
      planFile,
      '--action',
      'quarantine',
      '--object',
      'Lead',
      '--object',
      'Case'
    );
    const clean = dir('staged-clean');
    await sdg('recall', 'apply', planFile, '--confirm', String(planned.json.total), '--to', clean);
    const to = dir('staged-applied');
    const { runRecallApply } = await import('./recall-command');
    await expect(
      runRecallApply(
        planFile,
        { confirm: String(planned.json.total), to, interruptAfterFiles: 1 },
        captureIo().io
      )
    ).rejects.toThrow();
    // A crash between "staged" and the rename: put the file back as staged.
    const staging = stagingFolder(to, planned.json.recallId);
    const folder = path.join(staging, RECALLS_DIR, planned.json.recallId);
    const checkpoint = readJson<{ files: Record<string, string> }>(
      path.join(folder, 'checkpoint.json')
    );
    const [rel] = Object.keys(checkpoint.files);
    fs.renameSync(path.join(staging, rel!), path.join(staging, `${rel}.recall-tmp`));
    fs.copyFileSync(path.join(from, rel!), path.join(staging, rel!));
    checkpoint.files[rel!] = 'staged';
    fs.writeFileSync(path.join(folder, 'checkpoint.json'), JSON.stringify(checkpoint));
    expect(
      (await sdg('recall', 'apply', planFile, '--confirm', String(planned.json.total), '--to', to))
        .code
    ).toBe(0);
    expect(snapshot(to)).toEqual(snapshot(clean));
  });
});

describe('sdg recall: bad plans exit 2 and change nothing', () => {
  it('refuses a plan edited after planning, a missing plan, a missing --to and a wrong folder', async () => {
    const planFile = dir('tamper.json');
    const planned = await plan(seeded, planFile, '--action', 'delete', '--model', 'openai/*');
    const edited = JSON.parse(fs.readFileSync(planFile, 'utf8')) as RecallPlan;
    edited.records.Lead = [];
    fs.writeFileSync(planFile, JSON.stringify(edited));
    const to = dir('tamper-applied');
    const tampered = await sdg(
      'recall',
      'apply',
      planFile,
      '--confirm',
      String(planned.json.total),
      '--to',
      to
    );
    expect(tampered.code).toBe(2);
    expect(tampered.err).toMatch(/digest does not match/);
    expect(fs.existsSync(to)).toBe(false);
    fs.writeFileSync(planFile, '{ not json');
    expect((await sdg('recall', 'apply', planFile, '--confirm', '1', '--to', to)).err).toMatch(
      /not a plan/
    );
    fs.writeFileSync(planFile, '{"format": "other"}');
    expect((await sdg('recall', 'apply', planFile, '--confirm', '1', '--to', to)).err).toMatch(
      /not a recall plan/
    );
    const missing = await sdg('recall', 'apply', dir('missing.json'), '--confirm', '1', '--to', to);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such plan file/);
    const fresh = dir('fresh.json');
    const ok = await plan(seeded, fresh, '--action', 'delete', '--model', 'openai/*');
    const noTo = await sdg('recall', 'apply', fresh, '--confirm', String(ok.json.total));
    expect(noTo.code).toBe(2);
    expect(noTo.err).toMatch(/--to <dir>/);
    const notRecall = await sdg('recall', 'undo', seeded, '--to', dir('u'));
    expect(notRecall.code).toBe(2);
    expect(notRecall.err).toMatch(/not a recall folder/);
    expect((await sdg('recall', 'undo', seeded)).err).toMatch(/--to <dir>/);
    expect(fs.existsSync(to)).toBe(false);
  });
});

describe('sdg recall on Data Loader CSVs', () => {
  const header =
    '"ID","FIRSTNAME","AI_MODEL__C","SYNTHETIC_STATUS__C","SYNTHETIC_REASONS__C","GENERATED_AT__C"';
  const lines = [
    header,
    '"00Q000000000001AAA","Ann","local/llama","Disclosed","","2026-05-01T00:00:00.000Z"',
    '"00Q000000000002AAA","Bo, ""Jr""","openai/gpt-4o","Disclosed","","2026-05-01T00:00:00.000Z"',
    '"00Q000000000003AAA","Multi\r\nline","local/llama","Quarantined","RECALLED","2026-05-01T00:00:00.000Z"',
    '"00Q000000000004AAA","Last","local/llama","Flagged","UNTRUSTED_MODEL","2026-05-01T00:00:00.000Z"'
  ];

  it('keeps BOM, CRLF, all-quoted fields and column case; skips what is already recalled', async () => {
    const from = dir('loader');
    fs.mkdirSync(from, { recursive: true });
    fs.writeFileSync(path.join(from, 'Lead.csv'), `\ufeff${lines.join('\r\n')}`);
    const planFile = dir('loader.json');
    const planned = await plan(from, planFile, '--action', 'quarantine', '--model', 'local/*');
    expect(planned.json.total).toBe(3);
    const to = dir('loader-applied');
    const applied = await sdg('recall', 'apply', planFile, '--confirm', '3', '--to', to, '--json');
    expect(applied.json).toMatchObject({ applied: 2, skipped: 1, failed: 0 });
    const text = fs.readFileSync(path.join(to, 'Lead.csv'), 'utf8');
    expect(text.startsWith(`\ufeff${header}\r\n`)).toBe(true);
    expect(text).toContain(
      '"00Q000000000001AAA","Ann","local/llama","Quarantined","RECALLED","2026-05-01T00:00:00.000Z"\r\n'
    );
    expect(text).toContain('"Bo, ""Jr""","openai/gpt-4o","Disclosed"');
    expect(
      text.endsWith('"Quarantined","UNTRUSTED_MODEL;RECALLED","2026-05-01T00:00:00.000Z"')
    ).toBe(true);
    const update = fs.readFileSync(path.join(applied.json.changes, 'Lead-update.csv'), 'utf8');
    expect(update).toBe(
      'Id,Synthetic_Reasons__c,Synthetic_Status__c\n00Q000000000001AAA,RECALLED,Quarantined\n00Q000000000004AAA,UNTRUSTED_MODEL;RECALLED,Quarantined\n'
    );
    const human = await sdg(
      'recall',
      'undo',
      path.join(to, RECALLS_DIR, planned.json.recallId),
      '--to',
      dir('loader-restored')
    );
    expect(human.out).toMatch(/2 record\(s\) put back/);
    expect(fs.readFileSync(path.join(dir('loader-restored'), 'Lead.csv'), 'utf8')).toBe(
      `\ufeff${lines.join('\r\n')}`
    );
  });

  it('restores fields from field history, and reports records it cannot restore', async () => {
    const from = dir('history');
    fs.mkdirSync(from, { recursive: true });
    fs.writeFileSync(
      path.join(from, 'Lead.csv'),
      [
        'Id,Email,Provenance_Source__c,AI_Model__c,Generated_At__c',
        '00Q1,enriched@x.test,Shady Enrichment Co,vendor/gen,2026-05-10T00:00:00.000Z',
        '00Q2,new@x.test,Shady Enrichment Co,vendor/gen,2026-05-10T00:00:00.000Z',
        '00Q3,made@x.test,Shady Enrichment Co,vendor/gen,2026-05-10T00:00:00.000Z',
        '00Q4,keep@x.test,Web,,',
        ''
      ].join('\n')
    );
    fs.writeFileSync(
      path.join(from, 'LeadHistory.csv'),
      [
        'LeadId,Field,OldValue,NewValue,CreatedDate',
        '00Q1,Email,real@x.test,enriched@x.test,2026-05-10T00:00:01.000Z',
        '00Q1,Email,older@x.test,real@x.test,2026-04-01T00:00:00.000Z',
        '00Q1,Provenance_Source__c,,Shady Enrichment Co,2026-05-10T00:00:01.000Z',
        // A field deleted since (not a column of Lead.csv): skipped, as Apex skips it, never put
        // in the update CSV; 00Q2's only change is of it, so 00Q2 has nothing to restore.
        '00Q1,Legacy_Score__c,7,9,2026-05-10T00:00:01.000Z',
        '00Q2,Legacy_Score__c,7,9,2026-05-10T00:00:01.000Z',
        '00Q3,created,,,2026-05-10T00:00:00.000Z',
        ''
      ].join('\n')
    );
    const { planFile, planned, to, applied, results } = await restoreShady(from, 'history', '3');
    expect(planned.json.total).toBe(3);
    expect(applied.code).toBe(1);
    expect(applied.json).toMatchObject({ applied: 1, failed: 2 });
    expect(results.records.find((r) => r.id === '00Q2')?.message).toBe(
      'Cannot restore: no field history in the window'
    );
    expect(results.records.find((r) => r.id === '00Q3')?.message).toMatch(/created in the window/);
    const text = fs.readFileSync(path.join(to, 'Lead.csv'), 'utf8');
    expect(text).toContain('00Q1,real@x.test,,vendor/gen,2026-05-10T00:00:00.000Z\n');
    expect(fs.readFileSync(path.join(applied.json.changes, 'Lead-update.csv'), 'utf8')).toBe(
      'Id,Email,Provenance_Source__c\n00Q1,real@x.test,#N/A\n'
    );
    const human = await sdg('recall', 'apply', planFile, '--confirm', '3', '--to', to);
    expect(human.err).toMatch(/2 record\(s\) failed/);
  });
  it('skips, in a tree export, a history row whose field no record of the file holds', async () => {
    const from = dir('history-tree');
    fs.mkdirSync(from, { recursive: true });
    const lead = (id: string, extra: Record<string, unknown>) => ({
      attributes: { type: 'Lead', referenceId: `ref${id}` },
      Id: id,
      Provenance_Source__c: 'Shady Enrichment Co',
      Generated_At__c: '2026-05-10T00:00:00.000Z',
      ...extra
    });
    fs.writeFileSync(
      path.join(from, 'Lead.json'),
      JSON.stringify({
        // 00Q2 leaves Email out (no value): the field is still the file's, as another record holds it.
        records: [lead('00Q1', { Email: 'enriched@x.test' }), lead('00Q2', {})]
      })
    );
    fs.writeFileSync(
      path.join(from, 'LeadHistory.csv'),
      [
        'LeadId,Field,OldValue,NewValue,CreatedDate',
        '00Q1,Legacy_Score__c,7,9,2026-05-10T00:00:01.000Z',
        '00Q2,Email,real@x.test,,2026-05-10T00:00:01.000Z',
        ''
      ].join('\n')
    );
    const { to, applied, results } = await restoreShady(from, 'history-tree', '2');
    expect(applied.json).toMatchObject({ applied: 1, failed: 1 });
    expect(results.records.find((r) => r.id === '00Q1')?.message).toBe(
      'Cannot restore: no field history in the window'
    );
    const written = readJson<{ records: Record<string, unknown>[] }>(path.join(to, 'Lead.json'));
    expect(written.records[0]).not.toHaveProperty('Legacy_Score__c');
    expect(written.records[1]).toMatchObject({ Email: 'real@x.test' });
  });
  it("restores a Contact's AccountId from the lookup's Id row, never the Account name row", async () => {
    const from = dir('history-lookup');
    fs.mkdirSync(from, { recursive: true });
    fs.writeFileSync(
      path.join(from, 'Contact.csv'),
      [
        'Id,LastName,AccountId,Provenance_Source__c,Generated_At__c',
        '003000000000001AAA,Moved,001000000000002AAA,Shady Enrichment Co,2026-05-10T00:00:00.000Z',
        '003000000000002AAA,Renamed,001000000000002AAA,Shady Enrichment Co,2026-05-10T00:00:00.000Z',
        ''
      ].join('\n')
    );
    fs.writeFileSync(
      path.join(from, 'ContactHistory.csv'),
      [
        'ContactId,Field,DataType,OldValue,NewValue,CreatedDate',
        '003000000000001AAA,Account,Text,Old Co,New Co,2026-05-10T00:00:01.000Z',
        '003000000000001AAA,Account,EntityId,001000000000001AAA,001000000000002AAA,2026-05-10T00:00:01.000Z',
        // Only the name row of an Account change: nothing to put back, not "Old Co" as a field.
        '003000000000002AAA,Account,Text,Old Co,New Co,2026-05-10T00:00:01.000Z',
        ''
      ].join('\n')
    );
    const { applied, results } = await restoreShady(from, 'history-lookup', '2');
    expect(applied.json).toMatchObject({ applied: 1, failed: 1 });
    expect(fs.readFileSync(path.join(applied.json.changes, 'Contact-update.csv'), 'utf8')).toBe(
      'Id,AccountId\n003000000000001AAA,001000000000001AAA\n'
    );
    expect(results.records.find((r) => r.id === '003000000000002AAA')?.message).toMatch(
      /no field history in the window/
    );
  });
});

describe('sdg recall plan --retention', () => {
  it('plans what the retention job would take by the policy: quarantines and deletes', async () => {
    const policyFile = dir('retention-policy.json');
    const policy = readJson<PolicySet>(path.join(seeded, 'policy.json'));
    for (const p of Object.values(policy.policies)) {
      p.syntheticRetentionDays = 20;
      p.retentionAction = 'Quarantine';
    }
    policy.policies.Lead!.retentionAction = 'Delete';
    fs.writeFileSync(policyFile, JSON.stringify(policy));
    const result = await sdg(
      'recall',
      'plan',
      '--retention',
      '--from',
      seeded,
      '--policy',
      policyFile,
      '--now',
      NOW,
      '--out',
      dir('ret.json'),
      '--json'
    );
    expect(result.code).toBe(0);
    expect(result.json.action).toBe('retention');
    const written = readJson<RecallPlan>(dir('ret.json'));
    expect(written.deletes!.Lead!.length).toBe(written.counts.Lead);
    expect(written.counts.Account).toBeGreaterThan(0);
    const to = dir('ret-applied');
    const applied = await sdg(
      'recall',
      'apply',
      dir('ret.json'),
      '--confirm',
      String(written.total),
      '--to',
      to
    );
    expect(applied.code).toBe(0);
    expect(applied.out).toMatch(/applied/);
    const accounts = fs.readFileSync(path.join(to, 'Account.csv'), 'utf8');
    expect(accounts).toMatch(/RETENTION_EXPIRED/);
    const human = await sdg(
      'recall',
      'plan',
      '--retention',
      '--from',
      seeded,
      '--now',
      NOW,
      '--out',
      dir('ret0.json')
    );
    expect(human.out).toMatch(/retention 0 record/);
    expect(
      (await sdg('recall', 'plan', '--retention', '--from', seeded, '--policy', dir('none.json')))
        .err
    ).toMatch(/no such policy file/);
  });

  it('prints a human plan with the command to apply it', async () => {
    const result = await sdg(
      'recall',
      'plan',
      '--from',
      seeded,
      '--action',
      'delete',
      '--object',
      'Account',
      '--model',
      'openai/*',
      '--out',
      dir('human.json'),
      '--now',
      NOW
    );
    expect(result.out).toMatch(/with a deleted parent/);
    expect(result.out).toMatch(/sdg recall apply .*human\.json --confirm \d+ --to <folder>/);
  });
});

describe('sdg recall never half-writes and never reads what audit refuses', () => {
  it('refuses to plan on a truncated CSV, naming file:line as the audit does', async () => {
    const from = exportIn('csv', 'truncated');
    const lead = path.join(from, 'Lead.csv');
    const text = fs.readFileSync(lead, 'utf8');
    fs.writeFileSync(lead, text.slice(0, text.lastIndexOf(',', text.length - 40)));
    const planned = await plan(
      from,
      dir('truncated.json'),
      '--action',
      'delete',
      '--object',
      'Lead'
    );
    expect(planned.code).toBe(2);
    expect(planned.err).toMatch(/Lead\.csv:\d+: not a valid CSV export/);
    const audited = await sdg('audit', '--from', from, '--out', dir('truncated-audit'));
    expect(audited.code).toBe(2);
  });

  it('refuses an export changed after planning and leaves the destination as it was', async () => {
    const from = exportIn('csv', 'changed');
    const planFile = dir('changed.json');
    const planned = await plan(from, planFile, '--action', 'quarantine', '--model', 'openai/*');
    fs.rmSync(path.join(from, 'Contact.csv'));
    const to = dir('changed-applied');
    const applied = await sdg(
      'recall',
      'apply',
      planFile,
      '--confirm',
      String(planned.json.total),
      '--to',
      to
    );
    expect(applied.code).toBe(2);
    expect(applied.err).toMatch(/not the export this plan was made on \(Contact\.csv is gone\)/);
    expect(fs.existsSync(to)).toBe(false);
    expect(fs.existsSync(stagingFolder(to, planned.json.recallId))).toBe(false);
  });

  it('refuses a --to folder that holds files unless --force', async () => {
    const from = exportIn('csv', 'occupied-source');
    const planFile = dir('occupied.json');
    const planned = await plan(from, planFile, '--action', 'quarantine', '--object', 'Lead');
    const to = dir('occupied');
    fs.mkdirSync(to, { recursive: true });
    fs.writeFileSync(path.join(to, 'Lead.csv'), 'unrelated\n');
    const total = String(planned.json.total);
    const refused = await sdg('recall', 'apply', planFile, '--confirm', total, '--to', to);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/already holds files; .*--force/);
    expect(fs.readFileSync(path.join(to, 'Lead.csv'), 'utf8')).toBe('unrelated\n');
    const file = path.join(dir('a-file'), 'x.csv');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    expect((await sdg('recall', 'apply', planFile, '--confirm', total, '--to', file)).err).toMatch(
      /is a file/
    );
    const forced = await sdg(
      'recall',
      'apply',
      planFile,
      '--confirm',
      total,
      '--to',
      to,
      '--force'
    );
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(path.join(to, 'Lead.csv'), 'utf8')).not.toBe('unrelated\n');
  });
});
