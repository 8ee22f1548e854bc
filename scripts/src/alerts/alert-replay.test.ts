import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { captureIo } from '../../test/capture-io';
import { AuditEvent, eventHash, GENESIS_HASH } from '../audit-chain/canonical';
import { COLUMNS } from '../audit-chain/export-reader';
import { runCli } from '../cli/program';
import { PROJECT_ROOT } from '../project-root';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../seed/seed-command';
import { loadPackageAlertRules } from './alert-rule-source';
import type { ReplayReport } from './alert-replay';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-replay-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Fields = Pick<
  AuditEvent,
  'occurredAt' | 'eventType' | 'recordId' | 'decision' | 'reasonCodes'
> &
  Partial<AuditEvent>;

/** A valid chain of these events, as the org's subscriber writes it. */
function chain(events: Fields[]): AuditEvent[] {
  let previousHash = GENESIS_HASH;
  return events.map((e, i) => {
    const event = {
      sequence: i + 1,
      previousHash,
      objectType: 'Lead',
      actingUser: '005000000000001AAA',
      eventKey: `key-${i + 1}`,
      payload: '{}',
      ...e
    };
    const hash = eventHash(event);
    previousHash = hash;
    return { ...event, hash, signature: '' };
  });
}

function writeExport(dir: string, events: AuditEvent[], leads: Record<string, string>[]): string {
  fs.mkdirSync(dir, { recursive: true });
  const columns = Object.values(COLUMNS);
  fs.writeFileSync(
    path.join(dir, 'Synthetic_Audit_Event__c.csv'),
    stringify(
      events.map((e) =>
        Object.fromEntries(Object.entries(COLUMNS).map(([k, c]) => [c, e[k as keyof AuditEvent]]))
      ),
      { header: true, columns }
    )
  );
  fs.writeFileSync(path.join(dir, 'Lead.csv'), stringify(leads, { header: true }));
  return dir;
}

const lead = (id: string, status: string, created: string, source = 'web-form') => ({
  Id: id,
  CreatedDate: created,
  Synthetic_Data__c: 'true',
  AI_Model__c: 'openai/gpt-4o',
  Generated_At__c: created,
  Generation_Method__c: 'trainedAlgorithmicMedia',
  Provenance_Source__c: source,
  Synthetic_Status__c: status
});

const at = (minute: number) =>
  new Date(Date.parse('2026-11-20T10:00:00.000Z') + minute * 60_000).toISOString();

const deepfake = (n: number, minute: number): Fields => ({
  occurredAt: at(minute),
  eventType: 'Quarantine',
  recordId: `00Q00000000000${String(n).padStart(4, '0')}`,
  decision: 'QUARANTINE',
  reasonCodes: 'MEDIA_AI_MARKER',
  payload: JSON.stringify({ provenanceSource: 'web-form', syntheticConfidence: '97' })
});

async function replayJson(args: string[]) {
  const io = captureIo();
  const code = await runCli(['alerts', 'replay', ...args, '--json'], io.io);
  const stdout = io.out.join('\n');
  return {
    code,
    stderr: io.err.join('\n'),
    report: code === 0 ? (JSON.parse(stdout) as ReplayReport) : null
  };
}

describe('sdg alerts replay', () => {
  // 200 deepfakes in one minute, 2 more an hour later, a bypass, and 3 quarantined leads of
  // which 2 are 10 days old: the shipped rules must give exactly these alerts.
  const events = chain([
    ...Array.from({ length: 200 }, (_, i) => deepfake(i + 1, 0)),
    deepfake(201, 61),
    deepfake(202, 62),
    {
      occurredAt: at(70),
      eventType: 'Decision',
      recordId: '00Q000000000009999',
      decision: 'ACCEPT',
      reasonCodes: '',
      payload: JSON.stringify({ bypass: 'Synthetic_Data_Bypass' })
    }
  ]);
  const leads = [
    lead('00Q000000000000001', 'Quarantined', '2026-11-10T09:00:00.000Z'),
    lead('00Q000000000000002', 'Quarantined', '2026-11-10T09:30:00.000Z'),
    lead('00Q000000000000003', 'Quarantined', at(0))
  ];
  const dir = writeExport(path.join(tmp, 'known'), events, leads);

  it('raises the shipped rules over a known export, deduplicated by their windows', async () => {
    const { code, report } = await replayJson(['--from', dir, '--now', at(120)]);
    expect(code).toBe(0);
    expect(report?.events).toBe(203);
    expect(
      report?.alerts.map((a) => [a.rule, a.severity, a.dedupKey, a.count, a.records.length])
    ).toEqual([
      ['Deepfake_Media_Quarantined', 'critical', 'Deepfake_Media_Quarantined:Lead', 200, 200],
      ['Deepfake_Media_Quarantined', 'critical', 'Deepfake_Media_Quarantined:Lead', 2, 2],
      ['Enforcement_Bypassed', 'medium', 'Enforcement_Bypassed:Lead', 1, 1],
      ['Quarantine_SLA', 'medium', 'Quarantine_SLA', 1, 0]
    ]);
    expect(report?.alerts[1]).toMatchObject({ firstSeen: at(61), lastSeen: at(62) });
  });

  it('reads a rule file of the record fields, e.g. to try a threshold before deploying it', async () => {
    const rules = path.join(tmp, 'rules.json');
    fs.writeFileSync(
      rules,
      JSON.stringify({
        rules: [
          {
            DeveloperName: 'Small_Backlog',
            Kind__c: 'Threshold',
            Severity__c: 'error',
            Metric__c: 'Quarantine_Backlog',
            Threshold__c: 2
          },
          {
            DeveloperName: 'Volume',
            Kind__c: 'Threshold',
            Severity__c: 'warning',
            Metric__c: 'Synthetic_Per_Source_Hour',
            Threshold__c: 1,
            Dedupe_By__c: 'Source',
            Dedupe_Window_Minutes__c: 60
          },
          { DeveloperName: 'Off', Active__c: false, Severity__c: 'info' }
        ]
      })
    );
    const { code, report } = await replayJson(['--from', dir, '--rules', rules, '--now', at(120)]);
    expect(code).toBe(0);
    expect(report?.rules).toBe(rules);
    expect(report?.alerts.map((a) => [a.dedupKey, a.count, a.firstSeen])).toEqual([
      ['Volume:web-form', 1, '2026-11-10T09:00:00.000Z'],
      ['Small_Backlog', 1, at(120)]
    ]);
  });

  it("reads the one severity scale and the org's old words as aliases (error = high, warning = medium)", async () => {
    const rule = (name: string, severity: string) => ({
      DeveloperName: name,
      Kind__c: 'Threshold',
      Severity__c: severity,
      Metric__c: 'Quarantine_Backlog',
      Threshold__c: 1
    });
    const rules = path.join(tmp, 'scale.json');
    fs.writeFileSync(
      rules,
      JSON.stringify([
        rule('Old_Error', 'error'),
        rule('Old_Warning', 'WARNING'),
        rule('New_High', 'high'),
        rule('New_Low', 'low'),
        rule('Critical', 'critical')
      ])
    );
    const { code, report } = await replayJson(['--from', dir, '--rules', rules, '--now', at(120)]);
    expect(code).toBe(0);
    expect(Object.fromEntries(report?.alerts.map((a) => [a.rule, a.severity]) ?? [])).toEqual({
      Old_Error: 'high',
      Old_Warning: 'medium',
      New_High: 'high',
      New_Low: 'low',
      Critical: 'critical'
    });
  });

  it('raises the chain-break rule when the export has been edited', async () => {
    const edited = events.map((e) => (e.sequence === 5 ? { ...e, decision: 'ACCEPT' } : e));
    const broken = writeExport(path.join(tmp, 'edited'), edited, leads);
    const { report } = await replayJson(['--from', broken, '--now', at(120)]);
    expect(report?.alerts.find((a) => a.rule === 'Audit_Chain_Broken')).toMatchObject({
      severity: 'critical',
      dedupKey: 'Audit_Chain_Broken',
      count: 1
    });
  });

  it('prints a readable list, and runs over a seeded export', async () => {
    const seeded = path.join(tmp, 'seeded');
    await seedToFolder(seeded, {
      now: '2026-06-01T12:00:00.000Z',
      hmacKey: SAMPLE_HMAC_KEY,
      count: 200,
      seed: 9,
      syntheticRatio: 0.5
    });
    const { io, out } = captureIo();
    expect(await runCli(['alerts', 'replay', '--from', dir, '--now', at(120)], io)).toBe(0);
    const stdout = out.join('\n');
    expect(stdout).toContain(
      `Replayed ${loadPackageAlertRules(PROJECT_ROOT).length} active rule(s) from the package`
    );
    expect(stdout).toMatch(/CRITICAL +Deepfake_Media_Quarantined:Lead +×200/);
    expect(stdout).toContain('… 197 more');
    expect(await runCli(['alerts', 'replay', '--from', seeded], captureIo().io)).toBe(0);
  });

  it("raises one bulk-injection alert for the sample's bulk import: one insert, one alert", async () => {
    const sample = path.join(tmp, 'sample-bulk');
    await seedToFolder(sample, {
      now: '2026-06-01T12:00:00.000Z',
      hmacKey: SAMPLE_HMAC_KEY,
      count: 2000,
      seed: 42,
      syntheticRatio: 0.4
    });
    const { io, out } = captureIo();
    expect(
      await runCli(['alerts', 'replay', '--from', sample, '--now', '2026-06-01T12:00:00Z'], io)
    ).toBe(0);
    const bulk = out.filter((line) => line.includes('Bulk_Injection_Blocked'));
    expect(bulk).toHaveLength(1);
    expect(bulk[0]).toMatch(/×(\d{2,})/);
  });

  it.each([
    ['not JSON', '{ nope', 'not valid JSON'],
    ['no list', '{"x": 1}', 'expected an array of rule records'],
    ['empty', '[]', 'holds no rules'],
    [
      'bad severity',
      '[{"DeveloperName":"A","Severity__c":"urgent"}]',
      'rule 1 (A): Severity__c must be one of'
    ],
    [
      'threshold without metric',
      '[{"DeveloperName":"A","Severity__c":"info"},{"DeveloperName":"B","Kind__c":"Threshold","Severity__c":"info"}]',
      'rule 2 (B): Metric__c is required for a Threshold rule'
    ],
    [
      'duplicate',
      '[{"DeveloperName":"A","Severity__c":"info"},{"DeveloperName":"A","Severity__c":"info"}]',
      'rule 2: DeveloperName "A" is used twice'
    ]
  ])('a malformed rule file (%s) exits 2 naming file and field', async (_name, text, message) => {
    const file = path.join(tmp, `bad-${_name.replace(/\W/g, '-')}.json`);
    fs.writeFileSync(file, text);
    const { code, stderr } = await replayJson(['--from', dir, '--rules', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: `);
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('    at ');
  });

  it('refuses a missing folder, a missing rule file and a bad --now', async () => {
    expect((await replayJson([])).stderr).toContain('--from <export dir> is required');
    expect((await replayJson(['--from', path.join(tmp, 'nope')])).stderr).toContain(
      'no such export folder'
    );
    const missing = await replayJson(['--from', dir, '--rules', path.join(tmp, 'none.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read it (ENOENT)');
    expect((await replayJson(['--from', dir, '--now', 'yesterday'])).stderr).toContain(
      '--now must be an ISO 8601 time'
    );
  });
});
