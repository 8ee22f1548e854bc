import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planRecall, QUARANTINE_OPENAI, sdg, snapshot } from '../../test/recall-cli';
import { zipOf } from '../../test/zip-writer';
import { listFiles, RECALLS_DIR } from '../recall/recall-export';
import type { RecallPlan } from '../recall/recall-plan';
import { readRawRecords } from '../recall/raw-csv';
import { HISTORY_OBJECTS } from '../provenance-model/schema';
import { EXPORT_FILES, OBJECT_ORDER } from '../seed/export-layout';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../seed/seed-command';
import type { AuditResult } from './export-auditor';
import { REPORT_FILES } from './reports';

/**
 * A weekly Data Export too large for one zip arrives as WE_<orgId>_1.ZIP, _2.ZIP …: each zip
 * holds one or more CSV files. Here Lead.csv is split over the first two zips (each part with
 * its header), so every command must read the set as one export.
 */
const ORG = '00D5g000004XyZ1EAK';
const part = (n: number) => `WE_${ORG}_${n}.ZIP`;
const NOW = '2026-06-02T00:00:00.000Z';
type Files = [string, string | Buffer][];
let base: string;
let set: string;
let unpacked: string;
let parts: Files[];

async function splitRows(file: string): Promise<[string, string]> {
  const rows: string[] = [];
  for await (const record of readRawRecords(file)) rows.push(record.raw);
  const [header = '', ...body] = rows;
  const half = Math.floor(body.length / 2);
  return [header + body.slice(0, half).join(''), header + body.slice(half).join('')];
}

function writeFolder(dir: string, files: Files): void {
  for (const [name, content] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

function writeSet(dir: string, sets: Files[], numbers = sets.map((_, i) => i + 1)): string {
  fs.mkdirSync(dir, { recursive: true });
  sets.forEach((files, i) => fs.writeFileSync(path.join(dir, part(numbers[i]!)), zipOf(files)));
  return dir;
}

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-export-set-'));
  const seeded = path.join(base, 'seeded');
  await seedToFolder(seeded, {
    count: 300,
    seed: 23,
    syntheticRatio: 0.5,
    now: '2026-06-01T12:00:00.000Z',
    hmacKey: SAMPLE_HMAC_KEY
  });
  const read = (name: string) => fs.readFileSync(path.join(seeded, name), 'utf8');
  const [leadA, leadB] = await splitRows(path.join(seeded, EXPORT_FILES.object('Lead')));
  // Field history too: LeadHistory.csv split the same way, the others whole in the second zip.
  const [historyA, historyB] = await splitRows(path.join(seeded, 'LeadHistory.csv'));
  const histories = OBJECT_ORDER.filter((o) => o !== 'Lead').map((o): [string, string] => [
    `${HISTORY_OBJECTS[o].name}.csv`,
    read(`${HISTORY_OBJECTS[o].name}.csv`)
  ]);
  const others = OBJECT_ORDER.filter((o) => o !== 'Lead').map((o): [string, string] => [
    EXPORT_FILES.object(o),
    read(EXPORT_FILES.object(o))
  ]);
  parts = [
    [
      ['Lead.csv', leadA],
      ['LeadHistory.csv', historyA],
      ...others.slice(0, 2),
      ['User.csv', '"Id"\n"005000000000001AAA"\n']
    ],
    [
      ['Lead.csv', leadB],
      ['LeadHistory.csv', historyB],
      ...histories,
      ...others.slice(2),
      [EXPORT_FILES.auditEvents, read(EXPORT_FILES.auditEvents)]
    ],
    [['Attachments/00P000000000001AAA', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1])]]
  ];
  set = writeSet(path.join(base, 'set'), parts);
  // The same export unpacked into one folder, Lead.csv whole.
  unpacked = path.join(base, 'unpacked');
  writeFolder(unpacked, [
    ['Lead.csv', read(EXPORT_FILES.object('Lead'))],
    ['LeadHistory.csv', read('LeadHistory.csv')],
    ...parts.flat().filter(([name]) => name !== 'Lead.csv' && name !== 'LeadHistory.csv')
  ]);
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

async function audit(from: string): Promise<{ code: number; result: AuditResult; err: string }> {
  const out = fs.mkdtempSync(path.join(base, 'reports-'));
  const run = await sdg('audit', '--from', from, '--out', out, '--now', NOW);
  const json = path.join(out, REPORT_FILES.json);
  const result = fs.existsSync(json)
    ? (JSON.parse(fs.readFileSync(json, 'utf8')) as AuditResult)
    : (null as unknown as AuditResult);
  return { code: run.code, result, err: run.err };
}

const selector = QUARANTINE_OPENAI;

describe('a Data Export set (WE_<orgId>_1.ZIP, _2.ZIP …) is one export', () => {
  it('audit --from <folder of the zips> reads every part as the unpacked export', async () => {
    const fromSet = await audit(set);
    const whole = await audit(unpacked);
    expect(fromSet.err).toBe('');
    expect(fromSet.result.objects).toEqual(whole.result.objects);
    expect(fromSet.result.rows).toBe(whole.result.rows);
    expect(fromSet.result.findings.map((f) => [f.control, f.object, f.count])).toEqual(
      whole.result.findings.map((f) => [f.control, f.object, f.count])
    );
    expect(fromSet.code).toBe(whole.code);
    // SDG-13 reads both halves of LeadHistory.csv against both halves of Lead.csv.
    expect(fromSet.result.findings.find((f) => f.control === 'SDG-13')?.count).toBeGreaterThan(0);
    // Both halves of Lead.csv are read, each named by its zip.
    expect(
      fromSet.result.files?.filter((f) => f.object === 'Lead').map((f) => path.basename(f.where))
    ).toEqual([`${part(1)}:Lead.csv`, `${part(2)}:Lead.csv`]);
  });

  it('recall plans on the set as on the unpacked export, seals every zip, applies and undoes', async () => {
    const planFile = path.join(base, 'set-plan.json');
    const planned = await planRecall(set, planFile, NOW);
    expect(planned.err).toBe('');
    const folderPlan = path.join(base, 'folder-plan.json');
    const viaFolder = await planRecall(unpacked, folderPlan, NOW);
    expect(planned.json.counts).toEqual(viaFolder.json.counts);
    expect(planned.json.counts.Lead).toBeGreaterThan(0);
    const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as RecallPlan;
    expect(plan.source).toMatchObject({ kind: 'export', path: set, container: 'zip-set' });
    expect(Object.keys(plan.inputs ?? {})).toEqual([part(1), part(2), part(3)]);
    expect(plan.inputs?.[part(2)]?.size).toBe(fs.statSync(path.join(set, part(2))).size);
    expect(plan.files?.filter((f) => f.object === 'Lead').map((f) => f.rel)).toEqual([
      'Lead.csv',
      'Lead.part2.csv'
    ]);

    const to = path.join(base, 'applied');
    const total = String(planned.json.total);
    const applied = await sdg('recall', 'apply', planFile, '--confirm', total, '--to', to);
    expect(applied.err).toBe('');
    expect(applied.code).toBe(0);
    // One folder: every entry of every zip; the second zip's Lead.csv beside the first's.
    expect(listFiles(to)).toEqual(
      expect.arrayContaining([
        'Lead.csv',
        'Lead.part2.csv',
        'User.csv',
        'Attachments/00P000000000001AAA'
      ])
    );
    // The applied folder audits as Lead records from both files, quarantined as planned.
    const after = await audit(to);
    expect(after.result.objects.Lead?.records).toBe(
      (await audit(unpacked)).result.objects.Lead?.records
    );

    const restored = path.join(base, 'restored');
    const undone = await sdg(
      'recall',
      'undo',
      path.join(to, RECALLS_DIR, plan.recallId),
      '--to',
      restored,
      '--now',
      NOW
    );
    expect(undone.code).toBe(0);
    // Undo gives back a folder holding every entry of the set as it was.
    const expected = new Map<string, string>();
    parts.forEach((files, i) =>
      files.forEach(([name, content]) =>
        expected.set(
          i > 0 && (name === 'Lead.csv' || name === 'LeadHistory.csv')
            ? name.replace('.csv', '.part2.csv')
            : name,
          Buffer.from(content).toString('latin1')
        )
      )
    );
    expect(snapshot(restored)).toEqual(expected);
  });

  it("apply refuses a set whose zip changed or went since planning, or --to the zips' folder (exit 2, nothing written)", async () => {
    const copy = path.join(base, 'set-copy');
    fs.cpSync(set, copy, { recursive: true });
    const planFile = path.join(base, 'copy-plan.json');
    const planned = await planRecall(copy, planFile, NOW);
    expect(planned.code).toBe(0);
    const apply = (to: string) =>
      sdg('recall', 'apply', planFile, '--confirm', String(planned.json.total), '--to', to);
    const inPlace = await apply(copy);
    expect(inPlace.code).toBe(2);
    expect(inPlace.err).toMatch(/is the folder of the Data Export zips the plan was made on/);
    expect(fs.readdirSync(copy).sort()).toEqual([part(1), part(2), part(3)]);
    fs.writeFileSync(path.join(copy, part(3)), zipOf([['Attachments/other', 'changed']]));
    const changed = await apply(path.join(base, 'copy-changed'));
    expect(changed.code).toBe(2);
    expect(changed.err).toMatch(new RegExp(`${part(3)} changed`));
    fs.rmSync(path.join(copy, part(3)));
    const gone = await apply(path.join(base, 'copy-gone'));
    expect(gone.code).toBe(2);
    expect(gone.err).toMatch(new RegExp(`${part(3)} is gone`));
    expect(fs.existsSync(path.join(base, 'copy-changed'))).toBe(false);
    expect(fs.existsSync(path.join(base, 'copy-gone'))).toBe(false);
  });

  it('a missing part, two orgs, or one part given alone is a usage error naming what to do', async () => {
    const gap = writeSet(path.join(base, 'gap'), [parts[0]!, parts[2]!], [1, 3]);
    const missing = await audit(gap);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(
      /is missing part 2\. Download every zip the Data Export page lists/
    );
    const planGap = await sdg('recall', 'plan', '--from', gap, '--now', NOW, ...selector);
    expect(planGap.code).toBe(2);
    expect(planGap.err).toMatch(/is missing part 2/);

    const lone = await audit(path.join(set, part(1)));
    expect(lone.code).toBe(2);
    expect(lone.err).toMatch(
      /is part 1 of a 3-zip Data Export set .*give the folder that holds them/
    );

    const mixed = path.join(base, 'mixed');
    fs.cpSync(set, mixed, { recursive: true });
    fs.writeFileSync(path.join(mixed, 'WE_00D5g000009AbCdEAK_1.ZIP'), zipOf(parts[1]!));
    expect((await audit(mixed)).err).toMatch(/Data Export zips of 2 orgs/);

    const loose = path.join(base, 'loose');
    fs.cpSync(set, loose, { recursive: true });
    fs.writeFileSync(path.join(loose, 'Lead.csv'), '"Id"\n');
    expect((await audit(loose)).err).toMatch(/holds both zips .* and export files \(Lead\.csv\)/);
  });

  it('monitor --from <folder of the zips> counts the whole set', async () => {
    const run = await sdg('monitor', '--from', set, '--now', NOW, '--json');
    const whole = await sdg('monitor', '--from', unpacked, '--now', NOW, '--json');
    const records = (out: string) =>
      (JSON.parse(out) as { orgs: { records: number }[] }).orgs[0]!.records;
    expect(run.err).toBe('');
    expect(records(run.out)).toBe(records(whole.out));
  });
});
