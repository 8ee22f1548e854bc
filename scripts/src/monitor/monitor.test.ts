import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureIo } from '../../test/capture-io';
import { fakeApi, FakeSalesforce } from '../../test/fake-salesforce';
import { runCli } from '../cli/program';
import { loadPackageAlertRules } from '../alerts/alert-rule-source';
import { loadPackagePolicy, policyFor } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../seed/seed-command';
import { OBJECT_ORDER } from '../seed/export-layout';
import { runMonitor, shippedLimits } from './monitor-command';
import type { MonitorReport } from './monitor-command';

const NOW = '2026-06-20T00:00:00.000Z';
let base: string;
let small: string;
let large: string;

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-monitor-'));
  small = path.join(base, 'small');
  large = path.join(base, 'large');
  const seed = { now: '2026-06-01T12:00:00.000Z', hmacKey: SAMPLE_HMAC_KEY };
  await seedToFolder(small, { ...seed, count: 300, seed: 3, syntheticRatio: 0.3 });
  await seedToFolder(large, { ...seed, count: 900, seed: 5, syntheticRatio: 0.7 });
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** The numbers counted another way: every CSV parsed whole. */
function expected(dir: string) {
  const policy = loadPackagePolicy(PROJECT_ROOT);
  let records = 0;
  let synthetic = 0;
  let disclosed = 0;
  let quarantined = 0;
  let oldest = Infinity;
  const byStatus: Record<string, number> = {};
  for (const object of OBJECT_ORDER) {
    const file = path.join(dir, `${object}.csv`);
    if (!fs.existsSync(file)) continue;
    const rows = parse<Record<string, string>>(fs.readFileSync(file), { columns: true, bom: true });
    for (const row of rows) {
      records++;
      const status = row.Synthetic_Status__c || 'None';
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (row.Synthetic_Data__c === 'true') {
        synthetic++;
        if (policyFor(policy, object).requiredFields.every((f) => row[f])) disclosed++;
      }
      if (status === 'Quarantined') {
        quarantined++;
        oldest = Math.min(oldest, Date.parse(row.CreatedDate!));
      }
    }
  }
  return {
    records,
    synthetic,
    byStatus,
    quarantineBacklog: quarantined,
    disclosureRate: Math.round((disclosed / synthetic) * 10000) / 10000,
    oldestQuarantineDays:
      quarantined > 0 ? Math.round((Date.parse(NOW) - oldest) / 8_640_000) / 10 : null
  };
}

async function monitor(...args: string[]) {
  const { io, out, err } = captureIo();
  const code = await runCli(['monitor', '--now', NOW, ...args], io);
  const text = out.join('\n');
  return {
    code,
    out: text,
    err: err.join('\n'),
    json: text.startsWith('{') ? (JSON.parse(text) as MonitorReport) : null
  };
}

describe('sdg monitor', () => {
  it('shows two exports side by side, in the order given, with the numbers a full count gives', async () => {
    const { code, json } = await monitor('--from', large, '--from', small, '--json');
    expect(code).toBe(0);
    expect(json!.orgs.map((o) => o.org)).toEqual([large, small]);
    for (const [i, dir] of [large, small].entries())
      expect(json!.orgs[i]).toMatchObject({ ...expected(dir), openAlerts: null });
    expect(json!.orgs[0]!.synthetic).toBeGreaterThan(json!.orgs[1]!.synthetic);
    expect(json!.orgs[0]!.chain).toMatchObject({ intact: true });
    expect(json!.orgs[0]!.chain!.events).toBeGreaterThan(0);
  });

  it('prints one table and writes the same as HTML', async () => {
    const html = path.join(base, 'report', 'monitor.html');
    const { code, out } = await monitor('--from', small, '--from', large, '--html', html);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toContain(small);
    expect(lines[0]).toContain(large);
    expect(lines.find((l) => l.startsWith('audit chain'))).toMatch(/verifies.*verifies/);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('<th scope="row">records</th>');
    expect(page).toContain(`<th scope="col">${small}</th>`);
  });

  it('exits 1 on a broken chain (critical) and on warnings only when --fail-on says so', async () => {
    const tampered = path.join(base, 'tampered');
    fs.cpSync(small, tampered, { recursive: true });
    const events = path.join(tampered, 'Synthetic_Audit_Event__c.csv');
    const lines = fs.readFileSync(events, 'utf8').split('\n');
    lines[3] = lines[3]!.replace(/ACCEPT|FLAG|QUARANTINE/, 'REJECT');
    fs.writeFileSync(events, lines.join('\n'));
    const broken = await monitor('--from', tampered, '--json');
    expect(broken.code).toBe(1);
    expect(broken.json!.crossed).toContainEqual(
      expect.objectContaining({
        org: tampered,
        threshold: 'audit chain verifies',
        severity: 'critical'
      })
    );
    const strictSla = await monitor('--from', small, '--sla-days', '0', '--json');
    expect(strictSla.code).toBe(0);
    expect(strictSla.json!.crossed.map((c) => c.severity)).toContain('medium');
    expect((await monitor('--from', small, '--sla-days', '0', '--fail-on', 'warning')).code).toBe(
      1
    );
  });

  it('reads an org through the API, beside an export', async () => {
    const fake = await new FakeSalesforce({ policy: loadPackagePolicy(PROJECT_ROOT) }).start();
    try {
      fake.insert('Lead', {
        LastName: 'Q',
        Synthetic_Data__c: true,
        Synthetic_Status__c: 'Quarantined',
        CreatedDate: '2026-06-10T00:00:00.000Z'
      });
      fake.insert('Lead', { LastName: 'A', Synthetic_Data__c: false });
      for (const status of ['Open', 'Acknowledged', 'Resolved'])
        fake.insert('Synthetic_Alert__c', { Status__c: status, Dedupe_Key__c: status });
      const { io, out } = captureIo();
      const code = await runMonitor(
        {
          targets: [
            { kind: 'org', alias: 'fake' },
            { kind: 'export', dir: small }
          ],
          json: true,
          now: NOW
        },
        io,
        (org) => Promise.resolve(fakeApi(fake, org))
      );
      expect(code).toBe(0);
      const report = JSON.parse(out.join('\n')) as MonitorReport;
      expect(report.orgs[0]).toMatchObject({
        org: 'fake',
        records: 2,
        synthetic: 1,
        quarantineBacklog: 1,
        oldestQuarantineDays: 10,
        disclosureRate: 0,
        openAlerts: 2,
        chain: null
      });
      expect(report.orgs[1]).toMatchObject({ org: small, openAlerts: null });
    } finally {
      await fake.stop();
    }
  });

  it('takes its default limits from the shipped alert rules', () => {
    expect(shippedLimits(loadPackageAlertRules(PROJECT_ROOT))).toEqual({
      sla: 7,
      floor: 0.95,
      backlog: 100
    });
    expect(shippedLimits([])).toEqual({ sla: 7, floor: 0.95, backlog: 100 });
  });

  it('counts no alerts in an org without the alert object (an older package)', async () => {
    const fake = await new FakeSalesforce({ policy: loadPackagePolicy(PROJECT_ROOT) }).start();
    try {
      fake.records.delete('Synthetic_Alert__c');
      const { io, out } = captureIo();
      const code = await runMonitor(
        { targets: [{ kind: 'org', alias: 'old' }], json: true, now: NOW },
        io,
        (org) => Promise.resolve(fakeApi(fake, org))
      );
      expect(code).toBe(0);
      expect((JSON.parse(out.join('\n')) as MonitorReport).orgs[0]!.openAlerts).toBeNull();
    } finally {
      await fake.stop();
    }
  });

  it.each([
    [[], /Give what to monitor/],
    [['--from', '/nonexistent/export'], /no such export folder/],
    [['--from', 'x', '--fail-on', 'loud'], /--fail-on must be one of/],
    [['--from', 'x', '--disclosure-floor', '2'], /--disclosure-floor must be a number from 0 to 1/]
  ])('exits 2 on bad input %#', async (args, message) => {
    const { code, err } = await monitor(...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});
