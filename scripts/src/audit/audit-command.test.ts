import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/program';
import { EXPORT_FILES } from '../seed/export-layout';
import { SAMPLE_HMAC_KEY, seedToFolder } from '../seed/seed-command';
import type { AuditResult } from './export-auditor';
import { REPORT_FILES } from './reports';
import { runSample } from './sample-command';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-audit-'));
const capture = () => {
  const lines: string[] = [];
  return { lines, out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
};
type Row = Record<string, string>;
const rowsOf = (dir: string, object: string) =>
  parse<Row>(fs.readFileSync(path.join(dir, `${object}.csv`)), { columns: true });

describe('sdg audit --from (end to end on a seeded export)', () => {
  const exportDir = tmp();
  const out = tmp();
  let result: AuditResult;
  let code: number;

  beforeAll(async () => {
    await seedToFolder(exportDir, {
      count: 1500,
      seed: 11,
      syntheticRatio: 0.45,
      now: '2026-06-01T12:00:00.000Z',
      hmacKey: SAMPLE_HMAC_KEY
    });
    const io = capture();
    code = await runCli(
      [
        'audit',
        '--from',
        exportDir,
        '--out',
        out,
        '--hmac-key-file',
        path.join(exportDir, EXPORT_FILES.hmacKey),
        '--json'
      ],
      io
    );
    result = JSON.parse(io.lines.join('\n')) as AuditResult;
  });

  it('exits 1 because the sample has high findings, and writes every report', () => {
    expect(code).toBe(1);
    for (const file of Object.values(REPORT_FILES))
      expect(fs.existsSync(path.join(out, file))).toBe(true);
  });

  it('counts records and statuses exactly as the export holds them', () => {
    for (const object of ['Account', 'Contact', 'Opportunity', 'Case', 'Lead']) {
      const rows = rowsOf(exportDir, object);
      expect(result.objects[object]?.records).toBe(rows.length);
      expect(result.objects[object]?.synthetic).toBe(
        rows.filter((r) => r.Synthetic_Data__c === 'true').length
      );
      expect(result.objects[object]?.byStatus.Quarantined ?? 0).toBe(
        rows.filter((r) => r.Synthetic_Status__c === 'Quarantined').length
      );
    }
  });

  it('reports missing provenance and untrusted models with the right counts', () => {
    const leads = rowsOf(exportDir, 'Lead').filter((r) => r.Synthetic_Data__c === 'true');
    const missing = leads.filter(
      (r) =>
        !r.AI_Model__c || !r.Generated_At__c || !r.Generation_Method__c || !r.Provenance_Source__c
    ).length;
    expect(result.findings.find((f) => f.control === 'SDG-01' && f.object === 'Lead')?.count).toBe(
      missing
    );
    const untrusted = leads.filter(
      (r) =>
        r.AI_Model__c && !/^(openai\/gpt-4o|anthropic\/claude|google\/gemini)/i.test(r.AI_Model__c)
    ).length;
    expect(result.findings.find((f) => f.control === 'SDG-04' && f.object === 'Lead')?.count).toBe(
      untrusted
    );
  });

  it('names each object its own most frequent untrusted models (SDG-04)', () => {
    const sdg04 = result.findings.filter((f) => f.control === 'SDG-04');
    expect(sdg04.length).toBeGreaterThan(1);
    for (const finding of sdg04) {
      const counts = new Map<string, number>();
      for (const r of rowsOf(exportDir, String(finding.object)))
        if (
          r.Synthetic_Data__c === 'true' &&
          r.AI_Model__c &&
          !/^(openai\/gpt-4o|anthropic\/claude|google\/gemini)/i.test(r.AI_Model__c)
        )
          counts.set(r.AI_Model__c, (counts.get(r.AI_Model__c) ?? 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1])[0]!;
      expect(finding.detail).toContain(`Most frequent: ${top[0]} (${top[1]})`);
    }
    expect(new Set(sdg04.map((f) => f.detail)).size).toBe(sdg04.length);
  });

  it('verifies the chain and finds an event for every record', () => {
    expect(result.chain).toMatchObject({ intact: true, checkpoints: { valid: 1 } });
    expect(result.controls.find((c) => c.id === 'SDG-08')?.passed).toBe(true);
    expect(result.controls.find((c) => c.id === 'SDG-09')?.passed).toBe(true);
  });

  it('writes a self-contained HTML page, JUnit with one case per control, Markdown and CSV', () => {
    const html = fs.readFileSync(path.join(out, REPORT_FILES.html), 'utf8');
    expect(html).toContain('<svg role="img"');
    expect(html).not.toMatch(/<(script|link|img)\b/);
    expect(html).not.toMatch(/(src|href)="https?:/);
    const junit = fs.readFileSync(path.join(out, REPORT_FILES.junit), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(12);
    expect(junit).toContain('<failure');
    expect(fs.readFileSync(path.join(out, REPORT_FILES.md), 'utf8')).toMatch(
      /^## Synthetic Data Guard audit: ❌/
    );
    const csv = parse<Row>(fs.readFileSync(path.join(out, REPORT_FILES.csv)), { columns: true });
    expect(csv).toHaveLength(result.findings.length + result.notRun.length);
  });

  it('passes with --fail-on critical, and names a tampered chain critical', async () => {
    expect(
      await runCli(
        ['audit', '--from', exportDir, '--out', tmp(), '--fail-on', 'critical', '--format', 'json'],
        capture()
      )
    ).toBe(0);
    const tampered = tmp();
    for (const file of fs.readdirSync(exportDir))
      if (file.endsWith('.csv'))
        fs.copyFileSync(path.join(exportDir, file), path.join(tampered, file));
    const events = path.join(tampered, EXPORT_FILES.auditEvents);
    fs.writeFileSync(events, fs.readFileSync(events, 'utf8').replace(',UNTRUSTED_MODEL,', ',,'));
    const io = capture();
    expect(
      await runCli(['audit', '--from', tampered, '--out', tmp(), '--fail-on', 'critical'], io)
    ).toBe(1);
    expect(io.lines.join('\n')).toMatch(/BROKEN at event \d+ \(edited\)/);
  });
});

describe('sdg audit input errors and options', () => {
  it.each([
    ['a missing folder', () => [path.join(tmp(), 'nope')], /no such export folder/],
    ['an empty folder', () => [tmp()], /not a Salesforce export.*it is empty/],
    ['an unknown format', () => [tmp(), '--format', 'pdf'], /--format takes/],
    ['an unknown severity', () => [tmp(), '--fail-on', 'urgent'], /--fail-on takes/],
    ['a bad SLA', () => [tmp(), '--sla-days', '-1'], /--sla-days/]
  ])('exits 2 for %s', async (_case, args, message) => {
    const [dir, ...rest] = args();
    const io = capture();
    expect(await runCli(['audit', '--from', dir!, '--out', tmp(), ...rest], io)).toBe(2);
    expect(io.lines.join('\n')).toMatch(message);
  });

  it('names the file and line of a malformed CSV, and refuses binary files and missing columns', async () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'Lead.csv'),
      'Id,Synthetic_Data__c,Synthetic_Status__c\n00Q1,true,Flagged\n00Q2,"unterminated\n'
    );
    const io = capture();
    expect(await runCli(['audit', '--from', dir, '--out', tmp()], io)).toBe(2);
    expect(io.lines.join('\n')).toMatch(/Lead\.csv:\d+: not a valid CSV export/);
    fs.writeFileSync(path.join(dir, 'Lead.csv'), Buffer.from('Id,Synthetic_Data__c\n', 'utf16le'));
    expect(await runCli(['audit', '--from', dir, '--out', tmp()], io)).toBe(2);
    expect(io.lines.join('\n')).toMatch(/binary data/);
    fs.writeFileSync(path.join(dir, 'Lead.csv'), 'Name,Company\nx,y\n');
    expect(await runCli(['audit', '--from', dir, '--out', tmp()], io)).toBe(2);
    expect(io.lines.join('\n')).toMatch(/Lead\.csv: missing column\(s\) Id/);
    fs.writeFileSync(path.join(dir, 'policy.json'), '{oops');
    expect(await runCli(['audit', '--from', dir, '--out', tmp()], io)).toBe(2);
  });

  it('audits records alone (no chain), with the package policy and a given time', async () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'Case.csv'),
      'Id,AccountId,CreatedDate,Synthetic_Data__c,AI_Model__c,Generation_Method__c,Synthetic_Status__c\n500A,,2026-01-01T00:00:00.000Z,false,openai/gpt-4o,,\n500B,,2026-01-01T00:00:00.000Z,true,,,Quarantined\n'
    );
    const io = capture();
    expect(
      await runCli(
        [
          'audit',
          '--from',
          dir,
          '--out',
          tmp(),
          '--now',
          '2026-03-01T00:00:00Z',
          '--json',
          '--format',
          'json'
        ],
        io
      )
    ).toBe(1);
    const result = JSON.parse(io.lines.join('\n')) as AuditResult;
    expect(result.chain).toBeNull();
    expect(result.findings.map((f) => f.control)).toEqual(
      expect.arrayContaining(['SDG-03', 'SDG-05'])
    );
    // Required provenance columns absent from the export: SDG-01 cannot tell, so it is not run.
    expect(result.controls.find((c) => c.id === 'SDG-01')?.status).toBe('not-run');
    expect(result.notRun).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          control: 'SDG-08',
          reason: expect.stringMatching(/no Synthetic_Audit_Event__c file/)
        })
      ])
    );
    expect(result.oldestQuarantineDays).toBe(59);
    expect(
      await runCli(['audit', '--from', dir, '--out', tmp(), '--now', 'later'], capture())
    ).toBe(2);
  });

  it('prints the SOQL templates, and takes one source at a time', async () => {
    const io = capture();
    expect(await runCli(['audit', '--queries'], io)).toBe(0);
    expect(io.lines.join('\n')).toContain('FROM Synthetic_Audit_Event__c ORDER BY Sequence__c');
    // Every line is a query, a comment or blank: no query ends in a comment.
    expect(io.lines.filter((l) => l.startsWith('SELECT') && l.includes('--'))).toEqual([]);
    const json = capture();
    expect(await runCli(['audit', '--queries', '--json'], json)).toBe(0);
    const { queries } = JSON.parse(json.lines.join('\n')) as { queries: string[] };
    expect(queries.length).toBeGreaterThan(5);
    expect(queries.every((q) => /^SELECT .+ FROM \w+/.test(q) && !q.includes('--'))).toBe(true);
    const org = capture();
    expect(await runCli(['audit', '--target-org', 'prod', '--from', 'x'], org)).toBe(2);
    expect(org.lines[0]).toContain('one thing at a time');
    expect(await runCli(['audit'], capture())).toBe(2);
  });
});

describe('npm start (sdg sample)', () => {
  it('seeds the sample, audits it, prints the summary and the report path, and exits 0', async () => {
    const out = tmp();
    const io = capture();
    expect(await runSample(out, io)).toBe(0);
    expect(io.lines[0]).toMatch(/^Seeded the built-in sample \(/);
    expect(io.lines.join('\n')).toMatch(/Report: .*audit-report\.html/);
    const result = JSON.parse(
      fs.readFileSync(path.join(out, REPORT_FILES.json), 'utf8')
    ) as AuditResult;
    const records = Object.values(result.objects).reduce((n, s) => n + s.records, 0);
    expect(records).toBe(2000);
    expect(result.chain?.intact).toBe(true);
  });
});

describe('sdg sample --json', () => {
  it('prints the seed summary and the audit result as one JSON document', async () => {
    const io = capture();
    expect(await runSample(tmp(), io, true)).toBe(0);
    const printed = JSON.parse(io.lines.join('\n')) as AuditResult & {
      seeded: { counts: Record<string, number> };
      reports: string[];
    };
    const seededRecords = Object.entries(printed.seeded.counts).filter(
      ([o]) => o in printed.objects
    );
    expect(seededRecords.reduce((n, [, c]) => n + c, 0)).toBe(
      Object.values(printed.objects).reduce((n, o) => n + o.records, 0)
    );
    expect(printed.reports.some((f) => f.endsWith('audit-report.html'))).toBe(true);
  });
});
