import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureIo } from '../../test/capture-io';
import { fakeApi, FakeSalesforce } from '../../test/fake-salesforce';
import { runAudit, AuditCommandOptions } from '../audit/audit-command';
import type { AuditResult } from '../audit/export-auditor';
import { loadPackagePolicy } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { runSeed, SeedCommandOptions } from '../seed/seed-command';
import type { OrgSeedSummary } from '../seed/org-seeder';
import { SILENT_PROGRESS } from '../cli/progress';
import { orgSource } from './org-audit-source';
import { readOrgPolicy } from './org-policy';

const policy = loadPackagePolicy(PROJECT_ROOT);
let fake: FakeSalesforce;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-org-'));
const connect = (org: string) => Promise.resolve(fakeApi(fake, org));

beforeEach(async () => {
  fake = await new FakeSalesforce({ policy }).start();
});
afterEach(() => fake.stop());

const seedOptions = (extra: Partial<SeedCommandOptions> = {}): SeedCommandOptions => ({
  targetOrg: 'fake',
  count: '300',
  seed: '7',
  syntheticRatio: '0.5',
  json: true,
  reportDir: tmp(),
  ...extra
});

const auditOptions = (extra: Partial<AuditCommandOptions> = {}): AuditCommandOptions => ({
  targetOrg: 'fake',
  out: tmp(),
  format: 'json',
  failOn: 'critical',
  slaDays: '7',
  json: true,
  ...extra
});

async function seed(extra: Partial<SeedCommandOptions> = {}) {
  const { io, out, err } = captureIo();
  const code = await runSeed(seedOptions(extra), io, connect);
  return { code, err, summary: out.length ? (JSON.parse(out.join('\n')) as OrgSeedSummary) : null };
}

describe('org errors', () => {
  it('reads the policy in force from custom metadata', async () => {
    expect(await readOrgPolicy(fakeApi(fake))).toEqual(policy);
  });

  it('says to log in again when the session expired', async () => {
    fake.faults.expiredSession = true;
    const { io, err } = captureIo();
    expect(await runAudit(auditOptions(), io, connect)).toBe(2);
    expect(err[0]).toMatch(/session for fake has expired.*sf org login web --alias fake/);
  });

  it('says when the org cannot be reached', async () => {
    await fake.stop();
    const { io, err } = captureIo();
    expect(await runAudit(auditOptions(), io, connect)).toBe(2);
    expect(err[0]).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe('sdg seed --target-org', () => {
  it('upserts through Composite, reports policy rejections apart from failures, and proves the triggers acted', async () => {
    const { code, summary } = await seed();
    expect(code).toBe(0);
    expect(summary!.api).toBe('Composite');
    const sent = Object.values(summary!.sent).reduce((n, c) => n + c, 0);
    expect(sent).toBe(300);
    expect(summary!.created + summary!.rejectedByPolicy).toBe(300);
    expect(summary!.failed).toBe(0);
    expect(summary!.triggersActed).toBe(true);
    expect(summary!.statusCheck.some((c) => c.status === 'Quarantined' && c.actual > 0)).toBe(true);
    const stored = [...fake.records.get('Contact')!.values()];
    expect(stored.every((c) => String(c.Source_Record_Id__c).startsWith('sdg-seed-7-'))).toBe(true);
    expect(stored.every((c) => String(c.AccountId).startsWith('001'))).toBe(true);
    expect(
      fake.requests.some((r) => r.path.includes('/composite/sobjects/Lead/Source_Record_Id__c'))
    ).toBe(true);
    expect(summary!.failuresFile).toBeNull();
  });

  it('counts records the org policy rejects apart from failures, and lists them in the report', async () => {
    await fake.stop();
    const strict = {
      ...policy,
      policies: { ...policy.policies, Lead: { ...policy.policies.Lead!, mode: 'Reject' as const } }
    };
    fake = await new FakeSalesforce({ policy: strict }).start();
    const { code, summary } = await seed();
    expect(code).toBe(0);
    expect(summary!.rejectedByPolicy).toBeGreaterThan(0);
    expect(summary!.failed).toBe(0);
    const report = fs.readFileSync(summary!.failuresFile!, 'utf8');
    expect(report.split('\n')[0]).toBe('object,key,errorCode,message,expected,attempts');
    expect(report).toMatch(
      /Lead,sdg-seed-7-\S+,FIELD_CUSTOM_VALIDATION_EXCEPTION,.*,rejected by policy,1/
    );
  });

  it('counts children of accounts the org policy rejects as consequences, not failures', async () => {
    await fake.stop();
    const strict = {
      ...policy,
      policies: {
        ...policy.policies,
        Account: { ...policy.policies.Account!, mode: 'Reject' as const }
      }
    };
    fake = await new FakeSalesforce({ policy: strict }).start();
    const { code, summary } = await seed();
    expect(summary!.failed).toBe(0);
    expect(code).toBe(0);
    const report = fs.readFileSync(summary!.failuresFile!, 'utf8');
    expect(report).toMatch(/^Contact,\S+,INVALID_FIELD,.*,parent rejected by policy,1$/m);
  });

  it('sends Generated_At__c at whole seconds, as the DateTime field keeps it', async () => {
    const { generateSeed } = await import('../seed/seed-generator');
    const claims: string[] = [];
    for (const item of generateSeed(
      {
        count: 300,
        seed: 7,
        syntheticRatio: 0.5,
        now: '2026-06-01T10:00:00.123Z',
        hmacKey: Buffer.from('k')
      },
      policy
    ))
      if (item.kind !== 'event' && item.record.claimed.Generated_At__c)
        claims.push(String(item.record.claimed.Generated_At__c));
    expect(claims.length).toBeGreaterThan(50);
    expect(claims.filter((c) => !c.endsWith('.000Z'))).toEqual([]);
  });

  it('returns only when the audit chain has settled (events are appended asynchronously)', async () => {
    await fake.stop();
    fake = await new FakeSalesforce({ policy, auditDelayMs: 30 }).start();
    const { seedOrg } = await import('../seed/org-seeder');
    const summary = await seedOrg(fakeApi(fake), policy, {
      seed: {
        count: 60,
        seed: 7,
        syntheticRatio: 0.5,
        now: new Date().toISOString(),
        hmacKey: Buffer.from('k')
      },
      bulkThreshold: 10_000,
      reportDir: tmp(),
      progress: SILENT_PROGRESS,
      settle: {
        intervalMs: 100,
        timeoutMs: 5_000,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
      }
    });
    expect(fake.pendingAuditEvents).toBe(0);
    expect(summary.chain).toEqual({ events: fake.events.length, settled: true });
    const { result } = await (async () => {
      const { io, out } = captureIo();
      await runAudit(auditOptions(), io, connect);
      return { result: JSON.parse(out.join('\n')) as AuditResult };
    })();
    expect(result.chain).toMatchObject({ intact: true, events: fake.events.length });
  });

  it('is idempotent: the same seed again updates instead of duplicating', async () => {
    await seed();
    const before = fake.records.get('Lead')!.size;
    const { code, summary } = await seed();
    expect(code).toBe(0);
    expect(summary!.created).toBe(0);
    expect(fake.records.get('Lead')!.size).toBe(before);
  });

  it('uses Bulk API 2.0 ingest jobs past the threshold and gets the same result', async () => {
    const { code, summary } = await seed({ bulkThreshold: '100' });
    expect(summary!.statusCheck.filter((c) => !c.ok)).toEqual([]);
    expect(summary!.failed).toBe(0);
    expect(code).toBe(0);
    expect(summary!.api).toBe('Bulk API 2.0');
    expect(fake.requests.some((r) => r.path.endsWith('/jobs/ingest'))).toBe(true);
    expect(fake.requests.some((r) => r.path.includes('/failedResults'))).toBe(true);
    expect(summary!.triggersActed).toBe(true);
  });

  it('retries row locks, then succeeds', async () => {
    const key = [...(await collectKeys())].find((k) => k.includes('-001'))!;
    fake.faults.lockedKeys = new Map([[key, 2]]);
    const { code, summary } = await seed();
    expect(code).toBe(0);
    expect(summary!.failed).toBe(0);
    expect(fake.faults.lockedKeys.get(key)).toBe(0);
  });

  it('stops at the 24-hour request limit with the org figures instead of retrying it', async () => {
    fake.faults.requestLimitHits = 1;
    const { code, err } = await seed();
    expect(code).toBe(2);
    expect(err[0]).toContain('used up its API requests for the last 24 hours');
    expect(err[0]).toMatch(/API requests used\/allowed in the last 24 hours: \d+\/15000/);
    // One refused call; nothing was retried or sent after it.
    expect(fake.requests).toHaveLength(1);
  });

  it('reports locks that never clear as failures (exit 1) with the attempts made', async () => {
    const key = [...(await collectKeys())].find((k) => k.includes('-00Q'))!;
    fake.faults.lockedKeys = new Map([[key, 99]]);
    const { code, summary } = await seed();
    expect(code).toBe(1);
    expect(summary!.failed).toBe(1);
    const report = fs.readFileSync(summary!.failuresFile!, 'utf8');
    expect(report).toContain(`Lead,${key},UNABLE_TO_LOCK_ROW`);
    expect(report).toMatch(/unexpected,5/);
  });

  it('notices when the triggers did not act (exit 1, counts named)', async () => {
    await fake.stop();
    fake = await new FakeSalesforce({ policy, triggersActive: false }).start();
    const { io, out } = captureIo();
    expect(await runSeed(seedOptions({ json: false }), io, connect)).toBe(1);
    expect(out.join('\n')).toContain('Triggers did NOT act');
    expect(out.join('\n')).toMatch(/Lead Quarantined: expected \d+, found 0/);
  });

  it('refuses an org without the package, and bad options, with exit 2', async () => {
    await fake.stop();
    fake = await new FakeSalesforce({ policy: { policies: {}, trustedSources: [] } }).start();
    let run = await seed();
    expect(run.code).toBe(2);
    expect(run.err[0]).toContain('sdg deploy --target-org fake');
    run = await seed({ bulkThreshold: 'many' });
    expect(run.code).toBe(2);
    run = await seed({ count: '300000' });
    expect(run.code).toBe(2);
    expect(run.err[0]).toContain('--out');
  });
});

async function collectKeys(): Promise<Set<string>> {
  const { generateSeed } = await import('../seed/seed-generator');
  const keys = new Set<string>();
  for (const item of generateSeed(
    {
      count: 300,
      seed: 7,
      syntheticRatio: 0.5,
      now: new Date().toISOString(),
      hmacKey: Buffer.from('k')
    },
    policy
  ))
    if (item.kind !== 'event') keys.add(String(item.record.fields.Source_Record_Id__c));
  return keys;
}

describe('sdg audit --target-org', () => {
  beforeEach(async () => {
    await seed();
    // An undisclosed AI record loaded while enforcement was bypassed, and a bypass grant.
    fake.insert('Lead', {
      LastName: 'Hidden',
      Company: 'Acme',
      Synthetic_Data__c: false,
      AI_Model__c: 'openai/gpt-4o-2024-08-06',
      Synthetic_Status__c: null,
      CreatedDate: new Date().toISOString()
    });
    fake.setupAuditTrail = [
      {
        Id: '0YmFAKE000000001',
        Action: 'PermSetAssign',
        Section: 'Manage Users',
        Display:
          'Permission set Synthetic Data Enforcement Bypass: assigned to user Jo Loader (jo@sdg.test)',
        CreatedDate: '2026-11-20T10:00:00.000+0000',
        'CreatedBy.Username': 'admin@sdg.test',
        DelegateUser: null
      },
      {
        Id: '0YmFAKE000000002',
        Action: 'changedCustomMetadataRecord',
        Section: 'Custom Metadata Types',
        Display: 'Changed Synthetic Policy Lead: Enforcement Mode from Quarantine to Monitor',
        CreatedDate: '2026-11-21T10:00:00.000+0000',
        'CreatedBy.Username': 'admin@sdg.test',
        DelegateUser: 'support@vendor.test'
      },
      {
        Id: '0YmFAKE000000003',
        Action: 'changedPassword',
        Section: 'Manage Users',
        Display: 'Changed password for user Jo Loader',
        CreatedDate: '2026-11-21T11:00:00.000+0000',
        'CreatedBy.Username': 'admin@sdg.test',
        DelegateUser: null
      }
    ];
  });

  async function audit(extra: Partial<AuditCommandOptions> = {}) {
    const { io, out, err } = captureIo();
    const code = await runAudit(auditOptions(extra), io, connect);
    return { code, err, result: out.length ? (JSON.parse(out.join('\n')) as AuditResult) : null };
  }

  it('audits records, chain and Setup Audit Trail through REST, with the org policy', async () => {
    const { code, result } = await audit({ failOn: 'high' });
    expect(code).toBe(1);
    const leads = fake.records.get('Lead')!.size;
    expect(result!.objects.Lead!.records).toBe(leads);
    expect(result!.source).toContain('org fake (admin@sdg.test');
    expect(result!.chain).toMatchObject({ intact: true, events: fake.events.length });
    const controls = result!.findings.map((f) => f.control);
    expect(controls).toContain('SDG-03');
    expect(result!.controls.map((c) => c.id)).toContain('SDG-10');
    const changes = result!.findings.filter((f) => f.control === 'SDG-10');
    expect(changes.map((f) => [f.severity, f.count])).toEqual([
      ['medium', 1],
      ['medium', 1],
      ['info', 2]
    ]);
    expect(changes[2]!.detail).toContain('admin@sdg.test (as support@vendor.test)');
    expect(fake.requests.some((r) => r.path.includes('/jobs/query'))).toBe(false);
    expect((result as unknown as { read: Record<string, { api: string }> }).read.Lead).toEqual({
      rows: leads,
      api: 'REST'
    });
  });

  it('prints a summary that says how each object was read', async () => {
    const { io, out } = captureIo();
    await runAudit(auditOptions({ json: false, bulkThreshold: '50' }), io, connect);
    expect(out.join('\n')).toMatch(
      /Read from the org: Synthetic_Audit_Event__c \d+ \(Bulk API 2\.0\)/
    );
  });

  it('follows REST query pages and reads past the threshold with Bulk API 2.0, with the same result', async () => {
    const rest = await audit();
    await fake.stop();
    const paged = new FakeSalesforce({ policy, queryPageSize: 7, bulkPageSize: 11 });
    Object.assign(paged, {
      records: fake.records,
      events: fake.events,
      setupAuditTrail: fake.setupAuditTrail
    });
    fake = await paged.start();
    const pagedRest = await audit();
    expect(fake.requests.filter((r) => /\/query\/01g/.test(r.path)).length).toBeGreaterThan(10);
    const bulk = await audit({ bulkThreshold: '0' });
    expect(
      fake.requests.filter((r) => /\/jobs\/query\/\w+\/results/.test(r.path)).length
    ).toBeGreaterThan(10);
    const strip = (r: AuditResult | null) => ({
      ...r!,
      generatedAt: '',
      now: '',
      oldestQuarantineDays: null,
      quarantineAges: {}
    });
    for (const other of [pagedRest, bulk]) {
      expect(strip(other.result).objects).toEqual(strip(rest.result).objects);
      expect(strip(other.result).findings.map((f) => [f.control, f.object, f.count])).toEqual(
        strip(rest.result).findings.map((f) => [f.control, f.object, f.count])
      );
    }
  });

  it('reads the chain with Bulk API 2.0 in sequence windows without ORDER BY, sorted here', async () => {
    const api = fakeApi(fake);
    const source = await orgSource(api, {
      bulkThreshold: 0,
      progress: SILENT_PROGRESS,
      eventWindow: 7
    });
    const sequences: number[] = [];
    for await (const event of source.events()!) sequences.push(event.sequence);
    expect(sequences).toEqual(fake.events.map((e) => e.sequence));
    const chainQueries = fake.bulkQueries.filter((q) => q.includes('Synthetic_Audit_Event__c'));
    expect(chainQueries.length).toBeGreaterThan(2);
    expect(chainQueries.filter((q) => /ORDER BY/i.test(q))).toEqual([]);
  });

  it('retries dropped connections of reads, and still audits', async () => {
    // Four failures in a row, then an answer: within the five attempts a call gets.
    fake.faults.dropConnections = 4;
    const { code } = await audit();
    expect(code).toBe(0);
  });

  it('stops at the 24-hour request limit (not cleared by a short wait), naming the figures', async () => {
    fake.faults.requestLimitHits = 1;
    const { code, err } = await audit();
    expect(code).toBe(2);
    expect(err[0]).toMatch(/24 hours.*15001\/15000/);
  });

  it('runs the other controls and names the missing permission when Setup Audit Trail is hidden', async () => {
    fake.faults.noViewSetup = true;
    const { code, result, err } = await audit();
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(result!.chain).toMatchObject({ intact: true });
    const skipped = result!.findings.filter((f) => f.control === 'SDG-10');
    expect(skipped).toEqual([
      expect.objectContaining({
        severity: 'medium',
        detail: expect.stringContaining('"View Setup and Configuration"') as string
      })
    ]);
    expect(result!.findings.some((f) => f.control === 'SDG-03')).toBe(true);
  });

  it('explains an org without the package', async () => {
    fake.records.delete('Lead');
    const { code, err } = await audit();
    expect(code).toBe(2);
    expect(err[0]).toContain('Is Synthetic Data Guard deployed to fake?');
  });

  it('rejects a bad --bulk-threshold and both sources at once', async () => {
    expect((await audit({ bulkThreshold: '-1' })).code).toBe(2);
    expect((await audit({ from: 'x' })).code).toBe(2);
  });
});
