import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { AuditEvent, eventHash, GENESIS_HASH } from '../audit-chain/canonical';
import { COLUMNS } from '../audit-chain/export-reader';
import { runCli } from '../cli/program';
import { loadPackagePolicy } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { auditExportFolder } from './export-auditor';
import { eventEntry, keepStatusEntry, payloadStatus } from './status-entry';

const NOW = '2026-12-01T00:00:00.000Z';
const CREATED = '2026-09-01T00:00:00.000+0000';
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();
const daysAgo = (d: number) => hoursAgo(d * 24);

/** The payload the org's publisher writes (sorted keys; `status` after `reviewReason`). */
const payload = (status: string | null, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ decision: null, ...extra, recordId: 'x', status, synthetic: true });

type Fields = Pick<AuditEvent, 'occurredAt' | 'eventType' | 'recordId'> & Partial<AuditEvent>;

/** A valid chain of these events, as the org's subscriber writes it. */
function chain(events: Fields[]): AuditEvent[] {
  let previousHash = GENESIS_HASH;
  return events.map((e, i) => {
    const event = {
      sequence: i + 1,
      previousHash,
      objectType: 'Lead',
      actingUser: '005000000000001AAA',
      decision: '',
      reasonCodes: '',
      eventKey: `key-${i + 1}`,
      payload: '{}',
      ...e
    };
    const hash = eventHash(event);
    previousHash = hash;
    return { ...event, hash, signature: '' };
  });
}

const ID = (n: number) => `00Q00000000000${n}AAA`;

/**
 * Five quarantined leads created 91 days before NOW, in a Data Export-like CSV without
 * LastModifiedDate, and the audit events the org wrote for them:
 * 1 quarantined on insert; 2 recalled an hour ago; 3 quarantined by retention two hours ago;
 * 4 quarantined on insert and edited yesterday (still quarantined: the entry stays at insert);
 * 5 has no event at all (the export's CreatedDate is the fallback).
 */
function writeExport(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-entry-'));
  const events = chain([
    {
      occurredAt: CREATED,
      eventType: 'Quarantine',
      recordId: ID(1),
      payload: payload('Quarantined')
    },
    { occurredAt: CREATED, eventType: 'Decision', recordId: ID(2), payload: payload('Accepted') },
    { occurredAt: CREATED, eventType: 'Decision', recordId: ID(3), payload: payload('Accepted') },
    {
      occurredAt: CREATED,
      eventType: 'Quarantine',
      recordId: ID(4),
      payload: payload('Quarantined')
    },
    {
      occurredAt: hoursAgo(2),
      eventType: 'Retention',
      recordId: ID(3),
      reasonCodes: 'RETENTION_EXPIRED',
      payload: payload('Quarantined', { reasons: ['RETENTION_EXPIRED'] })
    },
    {
      occurredAt: hoursAgo(1),
      eventType: 'Recall',
      recordId: ID(2),
      reasonCodes: 'RECALLED',
      payload: payload('Quarantined', { recallAction: 'quarantine', reasons: ['RECALLED'] })
    },
    {
      occurredAt: daysAgo(1),
      eventType: 'Decision',
      recordId: ID(4),
      // A reviewer's text naming a status must not be taken for the record's status.
      payload: payload('Quarantined', { reviewReason: 'was "status":"Accepted" before' })
    }
  ]);
  fs.writeFileSync(
    path.join(dir, 'Synthetic_Audit_Event__c.csv'),
    stringify(
      events.map((e) =>
        Object.fromEntries(Object.entries(COLUMNS).map(([k, c]) => [c, e[k as keyof AuditEvent]]))
      ),
      { header: true, columns: Object.values(COLUMNS) }
    )
  );
  const lead = (n: number, reasons: string) => `${ID(n)},${CREATED},true,Quarantined,${reasons}`;
  fs.writeFileSync(
    path.join(dir, 'Lead.csv'),
    [
      'Id,CreatedDate,Synthetic_Data__c,Synthetic_Status__c,Synthetic_Reasons__c',
      lead(1, 'MISSING_SOURCE'),
      lead(2, 'RECALLED'),
      lead(3, 'RETENTION_EXPIRED'),
      lead(4, 'MISSING_SOURCE'),
      lead(5, 'MISSING_SOURCE'),
      ''
    ].join('\n')
  );
  return dir;
}

describe('status-entry time from the audit events', () => {
  it('reads the status key of a canonical payload, not text that quotes it', () => {
    expect(payloadStatus(payload('Quarantined'))).toBe('Quarantined');
    expect(payloadStatus(payload(null))).toBe('');
    expect(payloadStatus('{"decision":"ACCEPT"}')).toBeNull();
    expect(payloadStatus(payload('Flagged', { reviewReason: '"status":"Quarantined"' }))).toBe(
      'Flagged'
    );
  });

  it('keeps the event that set the status: repeats keep the first, a change starts anew', () => {
    const q1 = 'Quarantined\t2026-01-01T00:00:00Z';
    const q2 = 'Quarantined\t2026-02-01T00:00:00Z';
    const a = 'Accepted\t2026-01-15T00:00:00Z';
    expect([q1, q2].reduce(keepStatusEntry)).toBe(q1);
    expect([q1, a, q2].reduce(keepStatusEntry)).toBe(q2);
    expect(keepStatusEntry(q1, '')).toBe(q1);
    expect(eventEntry(q1, 'Quarantined')).toBe('2026-01-01T00:00:00Z');
    expect(eventEntry(a, 'Quarantined')).toBeNull();
  });

  it.each([
    ['in memory', undefined],
    ['with the joins spilled to disk', 1]
  ])(
    'records recalled or quarantined by retention "now" are not past the SLA (%s)',
    async (_how, joinMemoryLimit) => {
      const result = await auditExportFolder(writeExport(), {
        policy: loadPackagePolicy(PROJECT_ROOT),
        now: NOW,
        slaDays: 7,
        joinMemoryLimit
      });
      expect(result.chain?.intact).toBe(true);
      expect(
        [...(result.findings.find((f) => f.control === 'SDG-05')?.recordIds ?? [])].sort()
      ).toEqual([ID(1), ID(4), ID(5)]);
      expect(result.quarantineAgeSources).toEqual({ 'audit events': 4, CreatedDate: 1 });
      expect(result.quarantineAges['< 1 day']).toBe(2);
      expect(result.quarantineAgeUnknown).toBe(0);
    }
  );

  it('audit says which source dated the entries, and monitor measures the same oldest age', async () => {
    const dir = writeExport();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-entry-out-'));
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    await runCli(['audit', '--from', dir, '--out', out, '--now', NOW], io);
    expect(lines.join('\n')).toMatch(
      /Entry into quarantine dated by audit events 4, CreatedDate 1\./
    );
    expect(fs.readFileSync(path.join(out, 'audit-summary.md'), 'utf8')).toMatch(
      /dated by audit events 4/
    );
    const monitored: string[] = [];
    await runCli(['monitor', '--from', dir, '--now', NOW, '--json'], {
      out: (l) => monitored.push(l),
      err: () => {}
    });
    const org = (
      JSON.parse(monitored.join('\n')) as {
        orgs: { oldestQuarantineDays: number; quarantineAgeSources: Record<string, number> }[];
      }
    ).orgs[0];
    expect(org?.quarantineAgeSources).toEqual({ 'audit events': 4, CreatedDate: 1 });
    expect(org?.oldestQuarantineDays).toBe(91);
  });
});
