import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/program';
import { EXPORT_FILES } from '../seed/export-layout';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../seed/seed-command';
import type { AuditResult } from './export-auditor';
import { REPORT_FILES } from './reports';

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures', 'exports');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-formats-'));
const capture = () => {
  const lines: string[] = [];
  return { lines, out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
};
const NOW = '2026-12-01T00:00:00Z';

async function audit(
  from: string,
  ...extra: string[]
): Promise<{ code: number; result: AuditResult; out: string; text: string }> {
  const out = tmp();
  const io = capture();
  const code = await runCli(['audit', '--from', from, '--out', out, '--now', NOW, ...extra], io);
  const text = io.lines.join('\n');
  const json = path.join(out, REPORT_FILES.json);
  const result = fs.existsSync(json)
    ? (JSON.parse(fs.readFileSync(json, 'utf8')) as AuditResult)
    : (null as unknown as AuditResult);
  return { code, result, out, text };
}

const status = (result: AuditResult, id: string) =>
  result.controls.find((c) => c.id === id)?.status;

describe('sdg audit reads every export a Salesforce user has', () => {
  it('sf data export tree --plan: plural file names, the plan file, @references', async () => {
    const { code, result, text } = await audit(path.join(FIXTURES, 'tree-plan'));
    expect(result.objects.Account?.records).toBe(2);
    expect(result.objects.Contact?.records).toBe(3);
    expect(result.files?.find((f) => f.name === 'Account-Contact-plan.json')?.format).toBe('plan');
    expect(result.files?.find((f) => f.name === 'Contacts.json')).toMatchObject({
      object: 'Contact',
      how: 'attributes.type'
    });
    // ContactRef2 names an AI model but is not marked synthetic.
    expect(result.findings.find((f) => f.control === 'SDG-03')?.recordIds).toEqual(['ContactRef2']);
    // Lineage follows @AccountRef references: every contact matches its account.
    expect(result.findings.some((f) => f.control === 'SDG-07')).toBe(false);
    expect(status(result, 'SDG-07')).toBe('passed');
    expect(code).toBe(1);
    expect(text).toMatch(/Read Contacts\.json: Contact \(by attributes\.type\)/);
  });

  it('sf data export tree without --plan: nested child relationships, no provenance', async () => {
    const { code, result, text } = await audit(path.join(FIXTURES, 'tree-nested'));
    expect(result.objects.Account?.records).toBe(2);
    expect(result.objects.Contact?.records).toBe(3);
    expect(result.objects.Contact?.withoutProvenance).toBe(3);
    expect(text).toMatch(/Provenance coverage: 0 of 5 records carry provenance; 5 carry none/);
    for (const id of ['SDG-01', 'SDG-02', 'SDG-04', 'SDG-06', 'SDG-08', 'SDG-09'])
      expect(status(result, id)).toBe('not-run');
    expect(result.controls.every((c) => c.status !== 'passed' || c.notRun.length === 0)).toBe(true);
    expect(code).toBe(1);
    const accepted = await audit(
      path.join(FIXTURES, 'tree-nested'),
      '--allow-missing',
      'events,provenance,history'
    );
    expect(accepted.code).toBe(0);
    expect(accepted.result.notRun.every((g) => g.allowed)).toBe(true);
  });

  it('Data Loader CSV: upper-case headers, any file name, 1/0 checkboxes, +0000 times', async () => {
    const { result } = await audit(path.join(FIXTURES, 'data-loader'), '--allow-missing', 'events');
    expect(result.files?.[0]).toMatchObject({ object: 'Lead', how: 'Id prefix 00Q' });
    expect(result.objects.Lead).toMatchObject({ records: 3, synthetic: 1 });
    expect(result.findings.find((f) => f.control === 'SDG-03')?.recordIds).toEqual([
      '00Q5g00000AbCdGAAV'
    ]);
    // Created 2026-11-02T09:00:00.000+0000, measured at 2026-12-01: 28.6 days.
    expect(result.oldestQuarantineDays).toBe(28.6);
    expect(result.findings.some((f) => f.control === 'SDG-05')).toBe(true);
  });

  it('Bulk API 2.0 results under job names: the object from each Id key prefix', async () => {
    const { result } = await audit(path.join(FIXTURES, 'bulk-results'));
    expect(result.files?.map((f) => [f.object, f.how])).toEqual([
      ['Account', 'Id prefix 001'],
      ['Contact', 'Id prefix 003']
    ]);
    expect(result.objects.Contact?.records).toBe(2);
    expect(status(result, 'SDG-07')).toBe('not-run');
  });

  it('--object FILE=Object names a file whose name and Ids do not say it', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'leads.csv'), 'Id,LastName\nL-1,Nair\n');
    expect((await audit(dir)).code).toBe(2);
    const { result } = await audit(dir, '--object', 'leads.csv=Lead');
    expect(result.files?.[0]).toMatchObject({ object: 'Lead', how: '--object' });
    expect(result.objects.Lead?.records).toBe(1);
  });

  it('the weekly Data Export zip, read in place: governed objects read, others listed', async () => {
    const { code, result, text } = await audit(path.join(FIXTURES, 'data-export.zip'));
    expect(Object.keys(result.objects).sort()).toEqual(['Account', 'Contact', 'Lead']);
    expect(result.files?.find((f) => f.name === 'User.csv')).toMatchObject({ object: null });
    expect(text).toMatch(/5 carry none/);
    expect(code).toBe(1);
  });

  it('exits 2 for something that is not an export', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    fs.writeFileSync(path.join(dir, 'Lead.json'), '{"not":"an array"}');
    const run = await audit(dir);
    expect(run.code).toBe(2);
    expect(run.text).toMatch(/not a Salesforce export/);
    const file = path.join(dir, 'notes.txt');
    expect((await audit(file)).code).toBe(2);
  });
});

describe('nothing incomplete passes silently', () => {
  const seeded = tmp();
  beforeAll(async () => {
    await seedToFolder(seeded, {
      count: 300,
      seed: 5,
      syntheticRatio: 0.4,
      now: '2026-06-01T12:00:00.000Z',
      hmacKey: SAMPLE_HMAC_KEY
    });
  });
  const copy = () => {
    const dir = tmp();
    fs.cpSync(seeded, dir, { recursive: true });
    return dir;
  };

  it('no audit-event file: chain and coverage are not run, shown in every format', async () => {
    const dir = copy();
    fs.rmSync(path.join(dir, EXPORT_FILES.auditEvents));
    const run = await audit(dir, '--fail-on', 'critical');
    expect(status(run.result, 'SDG-08')).toBe('not-run');
    expect(status(run.result, 'SDG-09')).toBe('not-run');
    expect(run.result.controls.find((c) => c.id === 'SDG-08')?.passed).toBe(false);
    expect(run.code).toBe(0); // a control not run counts as high; --fail-on critical lets it by
    expect((await audit(dir)).code).toBe(1);
    const junit = fs.readFileSync(path.join(run.out, REPORT_FILES.junit), 'utf8');
    expect(junit).toMatch(/<skipped message="not run: the export has no Synthetic_Audit_Event__c/);
    expect(fs.readFileSync(path.join(run.out, REPORT_FILES.md), 'utf8')).toMatch(
      /\| SDG-08 \| export \| the export has no Synthetic_Audit_Event__c file \|/
    );
    expect(fs.readFileSync(path.join(run.out, REPORT_FILES.csv), 'utf8')).toMatch(
      /^not-run,SDG-09/m
    );
    expect(fs.readFileSync(path.join(run.out, REPORT_FILES.html), 'utf8')).toMatch(
      /SDG-08<\/strong> Audit chain verifies — <strong>not run<\/strong>/
    );
    expect(run.text).toMatch(/Audit chain: no events in the export: not verified/);
    expect((await audit(dir, '--allow-missing', 'events')).result.notRun[0]?.allowed).toBe(true);
  });

  it('a header-only event file is no input either', async () => {
    const dir = copy();
    const file = path.join(dir, EXPORT_FILES.auditEvents);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split('\n')[0] + '\n');
    const { result } = await audit(dir);
    expect(status(result, 'SDG-08')).toBe('not-run');
    expect(result.notRun[0]?.reason).toMatch(/holds no events/);
  });

  it('a missing Lead file while the chain holds Lead events is a finding', async () => {
    const dir = copy();
    fs.rmSync(path.join(dir, 'Lead.csv'));
    const run = await audit(dir, '--fail-on', 'high');
    const finding = run.result.findings.find((f) => f.control === 'SDG-11');
    expect(finding).toMatchObject({ severity: 'high', object: 'Lead' });
    expect(finding?.title).toMatch(/No Lead file, but the audit chain holds \d+ Lead event/);
    // Said on the console too, never among the "… and N more" a user does not open.
    expect(run.text).toMatch(
      /^ {2}MISSING {2}Lead: No Lead file, but the audit chain holds \d+ Lead event\(s\) \(SDG-11, high\)\.$/m
    );
    const accepted = await audit(dir, '--allow-missing', 'Lead');
    expect(accepted.result.findings.find((f) => f.control === 'SDG-11')?.severity).toBe('info');
  });

  it('--allow-missing takes only known gaps', async () => {
    expect((await audit(seeded, '--allow-missing', 'everything')).code).toBe(2);
  });
});

describe('sdg verify-chain refuses input that proves nothing', () => {
  it.each([
    ['a JSON object without records', 'chain.json', '{"not":"an array"}', /no "records" array/],
    [
      'a header-only CSV',
      'chain.csv',
      'Sequence__c,Previous_Hash__c,Hash__c,Payload__c,Event_Type__c\n',
      /no audit events, so nothing was verified/
    ]
  ])('exits 2 for %s', async (_case, name, text, message) => {
    const file = path.join(tmp(), name);
    fs.writeFileSync(file, text);
    const io = capture();
    expect(await runCli(['verify-chain', file], io)).toBe(2);
    expect(io.lines.join('\n')).toMatch(message);
    expect(io.lines.join('\n')).not.toMatch(/✔/);
  });
});

describe('one clock and one severity scale', () => {
  it('the review SLA runs from when a record entered quarantine, not from its creation', async () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'Lead.csv'),
      [
        'Id,CreatedDate,LastModifiedDate,Synthetic_Data__c,Synthetic_Status__c,Synthetic_Reasons__c',
        '00Q000000000001AAA,2026-09-01T00:00:00.000+0000,,true,Quarantined,MISSING_SOURCE',
        '00Q000000000002AAA,2026-09-01T00:00:00.000+0000,2026-11-30T12:00:00.000+0000,true,Quarantined,RECALLED',
        '00Q000000000003AAA,2026-09-01T00:00:00.000+0000,,true,Quarantined,RETENTION_EXPIRED',
        ''
      ].join('\n')
    );
    const { result } = await audit(dir);
    expect(result.findings.find((f) => f.control === 'SDG-05')?.recordIds).toEqual([
      '00Q000000000001AAA'
    ]);
    expect(result.quarantineAgeUnknown).toBe(1);
  });

  it('audit and monitor measure ages on one clock: --now, else the wall clock', async () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'Lead.csv'),
      'Id,CreatedDate,Synthetic_Data__c,Synthetic_Status__c\n00Q000000000001AAA,2026-11-01T00:00:00Z,true,Quarantined\n'
    );
    const audited = await audit(dir);
    expect(audited.result.clock).toBe('--now');
    const io = capture();
    await runCli(['monitor', '--from', dir, '--now', NOW, '--json'], io);
    const monitored = JSON.parse(io.lines.join('\n')) as {
      orgs: { oldestQuarantineDays: number }[];
    };
    expect(monitored.orgs[0]?.oldestQuarantineDays).toBe(audited.result.oldestQuarantineDays);
    const wall = capture();
    await runCli(['audit', '--from', dir, '--out', tmp(), '--json', '--format', 'json'], wall);
    const live = JSON.parse(wall.lines.join('\n')) as AuditResult;
    expect(live.clock).toBe('the wall clock');
    expect(Math.abs(Date.parse(live.now) - Date.now())).toBeLessThan(60_000);
  });

  it('monitor takes the audit scale, and the old words as aliases', async () => {
    const dir = path.join(FIXTURES, 'data-loader');
    for (const failOn of ['medium', 'warning', 'high', 'error']) {
      const io = capture();
      expect(
        await runCli(['monitor', '--from', dir, '--now', NOW, '--fail-on', failOn, '--json'], io)
      ).not.toBe(2);
    }
    expect(
      await runCli(['audit', '--from', dir, '--out', tmp(), '--fail-on', 'error'], capture())
    ).not.toBe(2);
  });
});
