import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyChainFile } from '../audit-chain/verify-chain-command';
import { runCli } from '../cli/program';
import { loadPackagePolicy } from '../policy/package-policy';
import { PROJECT_ROOT } from '../quality/broken-samples';
import { EXPORT_FILES } from './export-layout';
import { SAMPLE_HMAC_KEY, seedToFolder } from './seed-command';

const options = {
  count: 1200,
  seed: 7,
  syntheticRatio: 0.5,
  now: '2026-06-01T12:00:00.000Z',
  hmacKey: SAMPLE_HMAC_KEY
};
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-seed-'));
const capture = () => {
  const lines: string[] = [];
  return { lines, out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
};

describe('sdg seed', () => {
  const dir = tmp();
  let summary: Awaited<ReturnType<typeof seedToFolder>>;
  beforeAll(async () => {
    summary = await seedToFolder(dir, options);
  });

  it('writes event times that increase with the sequence, and the bulk import as one burst', async () => {
    const { readAuditExport } = await import('../audit-chain/export-reader');
    const times: number[] = [];
    const bulk: number[] = [];
    for await (const event of readAuditExport(path.join(dir, EXPORT_FILES.auditEvents))) {
      times.push(Date.parse(event.occurredAt));
      if (event.reasonCodes.includes('BULK_INJECTION')) bulk.push(Date.parse(event.occurredAt));
    }
    expect(times.filter((t, i) => i > 0 && t < times[i - 1]!)).toEqual([]);
    expect(bulk.length).toBeGreaterThan(20);
    // One insert: the whole burst within a minute.
    expect(Math.max(...bulk) - Math.min(...bulk)).toBeLessThan(60_000);
  });

  it('is deterministic for a given seed', async () => {
    const again = tmp();
    await seedToFolder(again, options);
    for (const file of ['Lead.csv', 'Account.csv', EXPORT_FILES.auditEvents, 'tree/plan.json']) {
      expect(fs.readFileSync(path.join(again, file), 'utf8')).toBe(
        fs.readFileSync(path.join(dir, file), 'utf8')
      );
    }
  });

  it('writes every governed object, the audit chain, the policy and a manifest', () => {
    for (const object of ['Account', 'Contact', 'Opportunity', 'Case', 'Lead'])
      expect(summary.counts[object]).toBeGreaterThan(0);
    // Every decision bucket has a name (a bypassed record counts as BYPASS).
    expect(Object.keys(summary.decisions).filter((k) => !k)).toEqual([]);
    const records = ['Account', 'Contact', 'Opportunity', 'Case', 'Lead'].reduce(
      (n, o) => n + (summary.counts[o] ?? 0),
      0
    );
    expect(records).toBe(1200);
    expect(JSON.parse(fs.readFileSync(path.join(dir, EXPORT_FILES.policy), 'utf8'))).toEqual(
      loadPackagePolicy(PROJECT_ROOT)
    );
    expect(
      JSON.parse(fs.readFileSync(path.join(dir, EXPORT_FILES.manifest), 'utf8'))
    ).toMatchObject({ referenceTime: options.now, seed: 7 });
  });

  it('produces a chain that verifies, with signed checkpoints', async () => {
    const report = await verifyChainFile(path.join(dir, EXPORT_FILES.auditEvents), {
      hmacKeyFile: path.join(dir, EXPORT_FILES.hmacKey)
    });
    expect(report).toMatchObject({
      intact: true,
      head: summary.head,
      checkpoints: { total: 1, valid: 1 }
    });
  });

  it('includes the adversarial cases: a bulk injection past the limit, untrusted models, bypassed loads', () => {
    const leads = fs.readFileSync(path.join(dir, 'Lead.csv'), 'utf8');
    expect(leads).toContain('BULK_INJECTION_LIMIT');
    expect(summary.profiles['untrusted-model']).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(dir, EXPORT_FILES.auditEvents), 'utf8')).toMatch(
      /,Bypass,.*""bypass"":""PERMISSION""/
    );
  });

  it('writes sObject tree files of at most 200 records whose references resolve', () => {
    const plan = JSON.parse(fs.readFileSync(path.join(dir, 'tree', 'plan.json'), 'utf8')) as {
      sobject: string;
      files: string[];
    }[];
    expect(plan.map((p) => p.sobject)).toEqual([
      'Account',
      'Contact',
      'Opportunity',
      'Case',
      'Lead'
    ]);
    const refs = new Set<string>();
    for (const step of plan) {
      for (const file of step.files) {
        const { records } = JSON.parse(fs.readFileSync(path.join(dir, 'tree', file), 'utf8')) as {
          records: Record<string, unknown>[];
        };
        expect(records.length).toBeLessThanOrEqual(200);
        for (const record of records) {
          for (const key of ['AccountId', 'ContactId']) {
            if (typeof record[key] === 'string') expect(refs.has(record[key].slice(1))).toBe(true);
          }
          refs.add((record.attributes as { referenceId: string }).referenceId);
        }
      }
    }
  });

  it('validates its options and explains the org path', async () => {
    for (const args of [
      ['--count', '0'],
      ['--count', 'many'],
      ['--seed', 'x'],
      ['--synthetic-ratio', '2'],
      ['--now', 'soon']
    ]) {
      expect(await runCli(['seed', '--out', tmp(), ...args], capture())).toBe(2);
    }
    const io = capture();
    expect(await runCli(['seed', '--target-org', 'prod', '--out', tmp()], io)).toBe(2);
    expect(io.lines[0]).toContain('one place at a time');
    expect(await runCli(['seed'], capture())).toBe(2);
  });

  it('prints a summary, or JSON', async () => {
    const io = capture();
    expect(await runCli(['seed', '--out', tmp(), '--count', '50', '--seed', '3'], io)).toBe(0);
    expect(io.lines[0]).toMatch(/^✔ Seeded /);
    const json = capture();
    expect(await runCli(['seed', '--out', tmp(), '--count', '50', '--json'], json)).toBe(0);
    expect(JSON.parse(json.lines.join('\n'))).toHaveProperty('head');
  });
});
