import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planRecall, QUARANTINE_OPENAI, sdg, snapshot } from '../../test/recall-cli';
import { zipOf } from '../../test/zip-writer';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../seed/seed-command';
import { EXPORT_FILES, OBJECT_ORDER } from '../seed/export-layout';
import { RECALLS_DIR } from './recall-export';
import { stagingFolder } from './recall-apply';
import type { RecallPlan } from './recall-plan';

const NOW = '2026-06-02T00:00:00.000Z';
let base: string;
let folder: string;
let zip: string;

/** The files of a weekly Data Export: one all-quoted CSV per object, and objects not governed. */
function dataExportFiles(from: string): [string, string | Buffer][] {
  const files: [string, string | Buffer][] = OBJECT_ORDER.map((o) => [
    EXPORT_FILES.object(o),
    fs.readFileSync(path.join(from, EXPORT_FILES.object(o)), 'utf8')
  ]);
  files.push(['User.csv', '"Id","Username"\n"005000000000001AAA","ada@example.com"\n']);
  // "Include images, documents, and attachments": binary files in a folder of the zip.
  files.push([
    'Attachments/00P000000000001AAA',
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255])
  ]);
  return files;
}

/** The Data Export files with Lead.csv changed. */
function withLead(change: (text: string) => string): [string, string | Buffer][] {
  return dataExportFiles(folder).map(([name, content]) => [
    name,
    name === 'Lead.csv' ? change(content.toString()) : content
  ]);
}

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-recall-zip-'));
  const seeded = path.join(base, 'seeded');
  await seedToFolder(seeded, {
    count: 300,
    seed: 17,
    syntheticRatio: 0.5,
    now: '2026-06-01T12:00:00.000Z',
    hmacKey: SAMPLE_HMAC_KEY
  });
  const files = dataExportFiles(seeded);
  // The same export twice: unpacked in a folder, and as the zip the service delivers.
  folder = path.join(base, 'folder');
  fs.mkdirSync(folder);
  for (const [name, content] of files) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), content);
  }
  zip = path.join(base, 'export.zip');
  fs.writeFileSync(zip, zipOf(files));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const selector = QUARANTINE_OPENAI;

describe('sdg recall on a Data Export zip, read in place', () => {
  it('plans as on the unpacked folder, sealing the zip by size and SHA-256', async () => {
    const fromZip = await planRecall(zip, path.join(base, 'zip.json'), NOW);
    const fromFolder = await planRecall(folder, path.join(base, 'folder.json'), NOW);
    expect(fromZip.err).toBe('');
    expect(fromZip.code).toBe(0);
    expect(fromZip.json.total).toBeGreaterThan(0);
    expect(fromZip.json.counts).toEqual(fromFolder.json.counts);
    const plan = JSON.parse(fs.readFileSync(path.join(base, 'zip.json'), 'utf8')) as RecallPlan;
    const folderPlan = JSON.parse(
      fs.readFileSync(path.join(base, 'folder.json'), 'utf8')
    ) as RecallPlan;
    expect(plan.records).toEqual(folderPlan.records);
    expect(plan.source).toMatchObject({
      kind: 'export',
      path: zip,
      format: 'csv',
      container: 'zip'
    });
    expect(Object.keys(plan.inputs ?? {})).toEqual(['export.zip']);
    expect(plan.inputs?.['export.zip']?.size).toBe(fs.statSync(zip).size);
    expect(plan.inputs?.['export.zip']?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Nothing was unpacked beside the zip.
    expect(fs.readdirSync(base).sort()).toEqual([
      'export.zip',
      'folder',
      'folder.json',
      'seeded',
      'zip.json'
    ]);
  });

  it('applies into a folder export equal to the folder apply, and undoes to the zip content', async () => {
    const planFile = path.join(base, 'apply.json');
    const planned = await planRecall(zip, planFile, NOW);
    const total = String(planned.json.total);
    const to = path.join(base, 'applied');
    const applied = await sdg(
      'recall',
      'apply',
      planFile,
      '--confirm',
      total,
      '--to',
      to,
      '--json'
    );
    expect(applied.err).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.json.applied + applied.json.skipped).toBe(planned.json.total);
    const folderPlan = path.join(base, 'folder-apply.json');
    await sdg('recall', 'plan', '--from', folder, '--now', NOW, '--out', folderPlan, ...selector);
    const viaFolder = path.join(base, 'applied-folder');
    expect(
      (await sdg('recall', 'apply', folderPlan, '--confirm', total, '--to', viaFolder)).code
    ).toBe(0);
    // Every entry of the zip, the governed ones changed exactly as a folder apply changes them.
    expect(snapshot(to)).toEqual(snapshot(viaFolder));
    expect([...snapshot(to).keys()]).toEqual(
      expect.arrayContaining(['User.csv', 'Attachments/00P000000000001AAA'])
    );
    const recall = path.join(to, RECALLS_DIR, applied.json.recallId);
    expect(fs.existsSync(path.join(recall, 'backup', 'Lead.csv'))).toBe(true);
    const restored = path.join(base, 'restored');
    const undone = await sdg('recall', 'undo', recall, '--to', restored, '--now', NOW);
    expect(undone.code).toBe(0);
    expect(snapshot(restored)).toEqual(snapshot(folder));
  });

  it('refuses a zip changed since planning and writes nothing', async () => {
    const changed = path.join(base, 'changed.zip');
    fs.copyFileSync(zip, changed);
    const planFile = path.join(base, 'changed.json');
    const planned = await planRecall(changed, planFile, NOW);
    expect(planned.code).toBe(0);
    // Next week's export under the same name: the same entries, one record fewer.
    const files = withLead((text) => text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
    fs.writeFileSync(changed, zipOf(files));
    const to = path.join(base, 'changed-applied');
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
    expect(applied.err).toMatch(
      /not the export this plan was made on \(changed\.zip changed size\)/
    );
    expect(fs.existsSync(to)).toBe(false);
    expect(fs.existsSync(stagingFolder(to, planned.json.recallId))).toBe(false);
  });

  it('refuses a zip audit refuses (a truncated entry), naming the entry', async () => {
    const files = withLead((text) => text.slice(0, text.lastIndexOf(',', text.length - 40)));
    const bad = path.join(base, 'truncated.zip');
    fs.writeFileSync(bad, zipOf(files));
    const planned = await sdg(
      'recall',
      'plan',
      '--from',
      bad,
      '--now',
      NOW,
      '--out',
      path.join(base, 'bad.json'),
      ...selector
    );
    expect(planned.code).toBe(2);
    expect(planned.err).toMatch(/truncated\.zip:Lead\.csv:\d+: not a valid CSV export/);
  });
});
