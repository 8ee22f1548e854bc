import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandIo } from '../cli/io';
import { auditFolder } from '../audit/audit-command';
import { runRecallPlan } from '../recall/recall-command';
import { governedObjectsOf, GOVERNED_OBJECTS } from '../provenance-model/schema';
import { runSeed } from '../seed/seed-command';

const NOW = '2026-06-01T12:00:00Z';
let exportsMade = 0;
const quiet: CommandIo = { out: () => undefined, err: () => undefined };

/** An `sdg seed` export plus Invoice__c records, with or without an Invoice__c policy. */
async function exportWithInvoices(dir: string, governInvoices: boolean): Promise<string> {
  const from = path.join(dir, `${governInvoices ? 'governed' : 'plain'}-${++exportsMade}`);
  expect(
    await runSeed({ out: from, count: '30', seed: '7', syntheticRatio: '0.4', now: NOW }, quiet)
  ).toBe(0);
  const lead = fs.readFileSync(path.join(from, 'Lead.csv'), 'utf8').split('\n')[0]!;
  const columns = lead
    .split(',')
    .filter(
      (c) => !['FirstName', 'LastName', 'Company', 'Email', 'Status', 'LeadSource'].includes(c)
    );
  const row = (id: string, values: Record<string, string>) =>
    columns.map((c) => (c === 'Id' ? id : (values[c] ?? ''))).join(',');
  fs.writeFileSync(
    path.join(from, 'Invoice__c.csv'),
    [
      ['Name', ...columns].join(','),
      `INV-1,${row('a015g0000000001AAA', { CreatedDate: '2026-05-01T00:00:00.000Z', Synthetic_Data__c: 'true', AI_Model__c: 'openai/gpt-4o-2024-08-06', Synthetic_Status__c: 'Quarantined' })}`,
      `INV-2,${row('a015g0000000002AAA', { CreatedDate: '2026-05-02T00:00:00.000Z', Synthetic_Data__c: 'false' })}`
    ].join('\n') + '\n'
  );
  if (governInvoices) {
    const file = path.join(from, 'policy.json');
    const policy = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      policies: Record<string, unknown>;
    };
    policy.policies.Invoice__c = policy.policies.Lead;
    fs.writeFileSync(file, JSON.stringify(policy, null, 2));
  }
  return from;
}

describe('records of an object sdg govern added', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-governed-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('governedObjectsOf keeps the five first and adds the objects a policy names, never Default or files', () => {
    expect(governedObjectsOf()).toEqual([...GOVERNED_OBJECTS]);
    expect(
      governedObjectsOf({
        policies: {
          Default: {},
          Lead: {},
          ContentVersion: {},
          Invoice__c: {},
          Task: {},
          'bad name': {}
        }
      })
    ).toEqual([...GOVERNED_OBJECTS, 'Invoice__c', 'Task']);
  });

  it('sdg audit counts Invoice__c records when the export policy governs Invoice__c', async () => {
    const from = await exportWithInvoices(dir, true);
    const { result } = await auditFolder({
      from,
      out: path.join(dir, 'r1'),
      format: 'json',
      failOn: 'critical',
      slaDays: '7',
      now: NOW
    });
    expect(result.objects.Invoice__c).toMatchObject({ records: 2, synthetic: 1 });
    expect(result.objects.Invoice__c!.byStatus.Quarantined).toBe(1);
  }, 120_000);

  it('sdg audit leaves Invoice__c out when no policy governs it (the five stay the default)', async () => {
    const from = await exportWithInvoices(dir, false);
    const { result } = await auditFolder({
      from,
      out: path.join(dir, 'r2'),
      format: 'json',
      failOn: 'critical',
      slaDays: '7',
      now: NOW
    });
    expect(result.objects.Invoice__c).toBeUndefined();
    expect(Object.keys(result.objects)).toEqual(expect.arrayContaining(['Lead', 'Contact']));
  }, 120_000);

  it('sdg recall plan selects Invoice__c records when the export policy governs Invoice__c', async () => {
    const from = await exportWithInvoices(dir, true);
    const out = path.join(dir, 'invoice.plan.json');
    const code = await runRecallPlan(
      { from, action: 'quarantine', object: ['Invoice__c'], model: ['openai/*'], out, now: NOW },
      quiet
    );
    expect(code).toBe(0);
    const plan = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      records: Record<string, string[]>;
    };
    expect(plan.records.Invoice__c).toEqual(['a015g0000000001AAA']);
  }, 120_000);

  it('sdg recall plan refuses --object Invoice__c when no policy governs it', async () => {
    const from = await exportWithInvoices(dir, false);
    const errors: string[] = [];
    const code = await runRecallPlan(
      {
        from,
        action: 'quarantine',
        object: ['Invoice__c'],
        out: path.join(dir, 'x.json'),
        now: NOW
      },
      { out: () => undefined, err: (l) => errors.push(l) }
    );
    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(/--object "Invoice__c" is not one of: Lead/);
  }, 120_000);
});
