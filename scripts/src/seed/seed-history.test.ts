import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { captureIo } from '../../test/capture-io';
import type { AuditResult } from '../audit/export-auditor';
import { REPORT_FILES } from '../audit/reports';
import { runCli } from '../cli/program';
import { HISTORY_OBJECTS } from '../provenance-model/schema';
import { OBJECT_ORDER } from './export-layout';
import { SAMPLE_HMAC_KEY, SAMPLE_NOW, seedToFolder } from './seed-command';

let dir: string;
let result: AuditResult;
const csv = (file: string) =>
  Papa.parse<Record<string, string>>(fs.readFileSync(file, 'utf8'), {
    header: true,
    skipEmptyLines: true
  });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-seed-history-'));
  await seedToFolder(path.join(dir, 'export'), {
    count: 2000,
    seed: 42,
    syntheticRatio: 0.4,
    now: SAMPLE_NOW,
    hmacKey: SAMPLE_HMAC_KEY
  });
  const { io } = captureIo();
  const out = path.join(dir, 'reports');
  await runCli(['audit', '--from', path.join(dir, 'export'), '--out', out], io);
  result = JSON.parse(fs.readFileSync(path.join(out, REPORT_FILES.json), 'utf8')) as AuditResult;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sdg seed writes field history, so SDG-13 runs on the sample', () => {
  it('writes one history file per object with the fields of the History objects', () => {
    for (const object of OBJECT_ORDER) {
      const { name, parent } = HISTORY_OBJECTS[object];
      const { meta } = csv(path.join(dir, 'export', `${name}.csv`));
      expect(meta.fields).toEqual([
        'Id',
        'IsDeleted',
        parent,
        'CreatedById',
        'CreatedDate',
        'Field',
        'DataType',
        'OldValue',
        'NewValue'
      ]);
    }
    const leads = csv(path.join(dir, 'export', 'LeadHistory.csv')).data;
    expect(leads.length).toBeGreaterThan(0);
    // An owner change is two rows at one time: the new owner's Id, then its name.
    expect(leads[0]).toMatchObject({ Field: 'Owner', DataType: 'EntityId' });
    expect(leads[0]!.NewValue).toMatch(/^00[5G]/);
    expect(leads[1]).toMatchObject({ Field: 'Owner', CreatedDate: leads[0]!.CreatedDate });
    expect(leads.every((row) => row.CreatedDate! <= SAMPLE_NOW)).toBe(true);
  });

  it('SDG-13 runs and finds the planted re-owning of quarantined Leads, not the queue routing', () => {
    const control = result.controls.find((c) => c.id === 'SDG-13');
    expect(control?.status).toBe('failed');
    expect(control?.notRun).toEqual([]);
    const found = result.findings.filter((f) => f.control === 'SDG-13');
    expect(found.map((f) => [f.object, f.severity])).toEqual([['Lead', 'high']]);
    const rows = csv(path.join(dir, 'export', 'LeadHistory.csv')).data;
    const routed = new Set(
      rows.filter((r) => r.NewValue === 'Synthetic Data Quarantine').map((r) => r.LeadId)
    );
    const reOwned = new Set(
      rows.filter((r) => r.OldValue === 'Synthetic Data Quarantine').map((r) => r.LeadId)
    );
    expect(found[0]!.count).toBe(reOwned.size);
    expect(routed.size).toBeGreaterThan(reOwned.size);
    expect(result.files?.find((f) => f.name === 'LeadHistory.csv')?.note).toMatch(
      /field history of Lead/
    );
  });

  it('recall --action restore puts OwnerId back from the Id row, never a name (as Apex RecallHistory)', async () => {
    const { io, out } = captureIo();
    const plan = path.join(dir, 'restore.json');
    await runCli(
      [
        'recall',
        'plan',
        '--from',
        path.join(dir, 'export'),
        '--action',
        'restore',
        '--object',
        'Lead',
        '--since',
        '2026-05-01T00:00:00Z',
        '--now',
        '2026-06-02T00:00:00Z',
        '--out',
        plan,
        '--json'
      ],
      io
    );
    const total = String((JSON.parse(out.join('')) as { total: number }).total);
    const to = path.join(dir, 'restored');
    const applied = captureIo();
    await runCli(['recall', 'apply', plan, '--confirm', total, '--to', to, '--json'], applied.io);
    const summary = JSON.parse(applied.out.join('')) as { applied: number; recallId: string };
    expect(summary.applied).toBeGreaterThan(0);
    // Lead.csv has no OwnerId column: the export is unchanged, the org update file carries it.
    const changes = path.join(to, 'recalls', summary.recallId, 'changes');
    const update = fs.readdirSync(changes).find((f) => /Lead/.test(f));
    const rows = csv(path.join(changes, update!)).data;
    expect(Object.keys(rows[0]!)).toEqual(['Id', 'OwnerId']);
    expect(rows.every((r) => /^005/.test(r.OwnerId!))).toBe(true);
  });
});
