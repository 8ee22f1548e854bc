import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/program';
import type { TrustedSource } from '../policy/trusted-source-registry';
import { TrustedSourceRegistry } from '../policy/trusted-source-registry';
import { EXPORT_FILES } from '../seed/export-layout';
import type { AuditResult } from './export-auditor';
import { REPORT_FILES } from './reports';
import {
  registryGap,
  unapprovedSourceQuery,
  unapprovedValues,
  untrustedCondition
} from './source-approval-control';

const NOW = '2026-12-01T00:00:00Z';
const REGISTRY: TrustedSource[] = [
  { pattern: 'openai/gpt-4o', matchType: 'Prefix', appliesTo: 'Model', trusted: true },
  { pattern: 'local/', matchType: 'Prefix', appliesTo: 'Model', trusted: false },
  { pattern: 'local/approved/', matchType: 'Prefix', appliesTo: 'Model', trusted: true },
  {
    pattern: 'vendorx/',
    matchType: 'Prefix',
    appliesTo: 'Model',
    trusted: true,
    expiresOn: '2026-11-30'
  },
  { pattern: "O'Brien_Studio", matchType: 'Exact', appliesTo: 'Source', trusted: true }
];

describe('SDG-15 unapproved AI sources', () => {
  const registry = new TrustedSourceRegistry(REGISTRY);

  it('names unknown, untrusted and expired models and sources, not approved ones', () => {
    expect(
      unapprovedValues(
        { AI_Model__c: 'openai/gpt-4o-mini', Provenance_Source__c: "o'brien_studio" },
        registry,
        NOW
      )
    ).toEqual([]);
    expect(
      unapprovedValues(
        { AI_Model__c: 'vendorx/m1', Provenance_Source__c: 'Web form' },
        registry,
        NOW
      )
    ).toEqual(['vendorx/m1', 'Web form']);
    expect(unapprovedValues({ AI_Model__c: 'local/x' }, registry, NOW)).toEqual(['local/x']);
    expect(unapprovedValues({ AI_Model__c: 'local/approved/x' }, registry, NOW)).toEqual([]);
    expect(
      unapprovedValues({ AI_Model__c: '  ', Provenance_Source__c: null }, registry, NOW)
    ).toEqual([]);
  });

  it('an entry counts until the day before it expires', () => {
    expect(
      unapprovedValues({ AI_Model__c: 'vendorx/m1' }, registry, '2026-11-29T23:00:00Z')
    ).toEqual([]);
  });

  it('reproduces the verdicts in SOQL: more specific trusted entries override, expired ones do not count', () => {
    expect(untrustedCondition('AI_Model__c', 'Model', REGISTRY, NOW)).toBe(
      "(AI_Model__c != null AND (NOT (AI_Model__c LIKE 'openai/gpt-4o%' OR AI_Model__c LIKE 'local/approved/%')" +
        " OR (AI_Model__c LIKE 'local/%' AND NOT (AI_Model__c LIKE 'openai/gpt-4o%' OR AI_Model__c LIKE 'local/approved/%'))" +
        " OR (AI_Model__c LIKE 'vendorx/%' AND NOT (AI_Model__c LIKE 'openai/gpt-4o%' OR AI_Model__c LIKE 'local/approved/%'))))"
    );
    // Quotes escaped; an Exact entry compares with =, where _ is no wildcard.
    expect(untrustedCondition('Provenance_Source__c', 'Source', REGISTRY, NOW)).toBe(
      "(Provenance_Source__c != null AND (NOT (Provenance_Source__c = 'O\\'Brien_Studio')))"
    );
    // LIKE prefixes escape the wildcards they contain.
    expect(
      untrustedCondition(
        'AI_Model__c',
        'Model',
        [{ pattern: 'a_b%', matchType: 'Prefix', appliesTo: 'Model', trusted: true }],
        NOW
      )
    ).toBe("(AI_Model__c != null AND (NOT (AI_Model__c LIKE 'a\\_b\\%%')))");
    // An empty registry trusts nothing.
    expect(untrustedCondition('AI_Model__c', 'Model', [], NOW)).toBe(
      '(AI_Model__c != null AND (AI_Model__c != null))'
    );
    expect(unapprovedSourceQuery('Lead', REGISTRY, NOW)).toMatch(
      /^SELECT Id, AI_Model__c, Provenance_Source__c, Synthetic_Data__c, Synthetic_Status__c FROM Lead WHERE \(AI_Model__c .* OR \(Provenance_Source__c /
    );
  });

  it('trusts a renewal deployed beside its expired record, in the verdict and in SOQL', () => {
    const renewed: TrustedSource[] = [
      ...REGISTRY,
      {
        pattern: 'vendorx/',
        matchType: 'Prefix',
        appliesTo: 'Model',
        trusted: true,
        expiresOn: '2027-11-30'
      }
    ];
    expect(
      unapprovedValues({ AI_Model__c: 'vendorx/m1' }, new TrustedSourceRegistry(renewed), NOW)
    ).toEqual([]);
    expect(untrustedCondition('AI_Model__c', 'Model', renewed, NOW)).toBe(
      "(AI_Model__c != null AND (NOT (AI_Model__c LIKE 'openai/gpt-4o%' OR AI_Model__c LIKE 'local/approved/%' OR AI_Model__c LIKE 'vendorx/%')" +
        " OR (AI_Model__c LIKE 'local/%' AND NOT (AI_Model__c LIKE 'openai/gpt-4o%' OR AI_Model__c LIKE 'local/approved/%' OR AI_Model__c LIKE 'vendorx/%'))" +
        " OR (AI_Model__c LIKE 'vendorx/%' AND NOT (AI_Model__c LIKE 'openai/gpt-4o%' OR AI_Model__c LIKE 'local/approved/%' OR AI_Model__c LIKE 'vendorx/%'))))"
    );
    // An explicit block of equal specificity still wins over an approval.
    const blocked: TrustedSource[] = [
      { pattern: 'vendorx/', matchType: 'Prefix', appliesTo: 'Model', trusted: true },
      { pattern: 'vendorx/', matchType: 'Prefix', appliesTo: 'Model', trusted: false }
    ];
    expect(
      unapprovedValues({ AI_Model__c: 'vendorx/m1' }, new TrustedSourceRegistry(blocked), NOW)
    ).toEqual(['vendorx/m1']);
    expect(untrustedCondition('AI_Model__c', 'Model', blocked, NOW)).toBe(
      "(AI_Model__c != null AND (NOT (AI_Model__c LIKE 'vendorx/%') OR AI_Model__c LIKE 'vendorx/%'))"
    );
  });

  it('says why it cannot run without the registry', () => {
    expect(registryGap(false, undefined)).toMatch(/no policy\.json/);
    expect(registryGap(true, undefined)).toMatch(/no trustedSources/);
    expect(registryGap(true, [])).toBeNull();
  });
});

describe('sdg audit --from: SDG-15 on an export', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-sources-'));

  function writeExport(withRegistry: boolean): string {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'Lead.csv'),
      [
        'Id,Synthetic_Data__c,AI_Model__c,Provenance_Source__c',
        '00Q000000000001AAA,true,openai/gpt-4o-mini,',
        '00Q000000000002AAA,true,vendorx/m1,',
        '00Q000000000003AAA,false,,Web form',
        '00Q000000000004AAA,false,,'
      ].join('\n') + '\n'
    );
    if (withRegistry)
      fs.writeFileSync(
        path.join(dir, EXPORT_FILES.policy),
        JSON.stringify({ policies: {}, trustedSources: REGISTRY })
      );
    return dir;
  }

  async function audit(dir: string, ...extra: string[]) {
    const out = tmp();
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const code = await runCli(['audit', '--from', dir, '--out', out, '--now', NOW, ...extra], io);
    const result = JSON.parse(
      fs.readFileSync(path.join(out, REPORT_FILES.json), 'utf8')
    ) as AuditResult;
    return { code, result };
  }

  it('reports records from unapproved or expired sources with the SOQL that finds them', async () => {
    const { result } = await audit(writeExport(true), '--allow-missing', 'events');
    const finding = result.findings.find((f) => f.control === 'SDG-15');
    expect(finding).toMatchObject({ object: 'Lead', count: 2, severity: 'medium' });
    expect(finding?.recordIds.sort()).toEqual(['00Q000000000002AAA', '00Q000000000003AAA']);
    expect(finding?.query).toContain("AI_Model__c LIKE 'vendorx/%'");
    expect(finding?.detail).toMatch(/vendorx\/m1 \(1\)/);
    expect(result.controls.find((c) => c.id === 'SDG-15')?.status).toBe('failed');
  });

  it('is not run, with the reason, when the export lacks the registry', async () => {
    const { code, result } = await audit(writeExport(false), '--allow-missing', 'events');
    const control = result.controls.find((c) => c.id === 'SDG-15');
    expect(control?.status).toBe('not-run');
    expect(control?.notRun[0]?.reason).toMatch(/no policy\.json/);
    expect(result.findings.some((f) => f.control === 'SDG-15')).toBe(false);
    expect(code).toBe(1);
    const accepted = await audit(writeExport(false), '--allow-missing', 'events,registry');
    expect(accepted.result.notRun.find((g) => g.control === 'SDG-15')?.allowed).toBe(true);
  });
});
