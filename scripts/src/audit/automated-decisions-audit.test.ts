import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPackagePolicy, PolicySet } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { auditAutomatedDecisions, valueAt } from './automated-decisions-audit';

// Bulk API 2.0 / Data Export CSV shapes: every value quoted, LeadHistory's columns as in the
// Object Reference (Id, IsDeleted, LeadId, CreatedById, CreatedDate, Field, DataType, OldValue,
// NewValue). A lookup change writes a name row and an Id row (DataType EntityId).
const LEADS = [
  '"Id","LastName","Company","Synthetic_Data__c","Synthetic_Status__c","Lead_Score__c"',
  '"00Q000000000001AAA","Re-owned","Acme","true","Quarantined",""',
  '"00Q000000000002AAA","Released","Acme","true","Released",""',
  '"00Q000000000003AAA","Assigned first","Acme","true","Quarantined",""',
  '"00Q000000000004AAA","Scored","Acme","true","Quarantined","80"',
  '"00Q000000000005AAA","Authentic","Acme","false","Unreviewed","55"'
];
const row = (
  id: number,
  lead: number,
  at: string,
  field: string,
  dataType: string,
  oldValue: string,
  newValue: string
) =>
  `"017000000000${String(id).padStart(3, '0')}AAA","false","00Q00000000000${lead}AAA","005000000000001AAA","${at}","${field}","${dataType}","${oldValue}","${newValue}"`;
const HISTORY = [
  '"Id","IsDeleted","LeadId","CreatedById","CreatedDate","Field","DataType","OldValue","NewValue"',
  // Lead 1: quarantined and routed to the package's queue (not a decision), then re-owned.
  row(
    1,
    1,
    '2026-05-01T10:00:00.000Z',
    'Synthetic_Status__c',
    'DynamicEnum',
    'Unreviewed',
    'Quarantined'
  ),
  row(
    2,
    1,
    '2026-05-01T10:00:00.000Z',
    'Owner',
    'Text',
    'Integration User',
    'Synthetic Data Quarantine'
  ),
  row(
    3,
    1,
    '2026-05-01T10:00:00.000Z',
    'Owner',
    'EntityId',
    '005000000000009AAA',
    '00G000000000001AAA'
  ),
  row(4, 1, '2026-05-02T09:00:00.000Z', 'Owner', 'Text', 'Synthetic Data Quarantine', 'Ana Sales'),
  row(
    5,
    1,
    '2026-05-02T09:00:00.000Z',
    'Owner',
    'EntityId',
    '00G000000000001AAA',
    '005000000000002AAA'
  ),
  // Lead 2: flagged, released by a reviewer, then assigned: eligible when assigned.
  row(
    6,
    2,
    '2026-05-01T10:00:00.000Z',
    'Synthetic_Status__c',
    'DynamicEnum',
    'Unreviewed',
    'Flagged'
  ),
  row(
    7,
    2,
    '2026-05-03T10:00:00.000Z',
    'Synthetic_Status__c',
    'DynamicEnum',
    'Flagged',
    'Released'
  ),
  row(
    8,
    2,
    '2026-05-04T10:00:00.000Z',
    'Owner',
    'EntityId',
    '005000000000009AAA',
    '005000000000002AAA'
  ),
  // Lead 3: assigned while unreviewed, quarantined later: eligible when assigned.
  row(
    9,
    3,
    '2026-05-01T10:00:00.000Z',
    'Owner',
    'EntityId',
    '005000000000009AAA',
    '005000000000002AAA'
  ),
  row(
    10,
    3,
    '2026-05-05T10:00:00.000Z',
    'Synthetic_Status__c',
    'DynamicEnum',
    'Unreviewed',
    'Quarantined'
  ),
  // Lead 4: a scoring job set a score while it was quarantined.
  row(
    11,
    4,
    '2026-05-01T10:00:00.000Z',
    'Synthetic_Status__c',
    'DynamicEnum',
    'Unreviewed',
    'Quarantined'
  ),
  row(12, 4, '2026-05-02T10:00:00.000Z', 'Lead_Score__c', 'Double', '', '80')
];
const CASES = [
  '"Id","Subject","Synthetic_Data__c","Synthetic_Status__c"',
  '"500000000000001AAA","Help","true","Quarantined"'
];

let dir: string;
let policy: PolicySet;

beforeAll(() => {
  policy = loadPackagePolicy(PROJECT_ROOT);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-decisions-'));
  fs.writeFileSync(path.join(dir, 'Lead.csv'), LEADS.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'LeadHistory.csv'), HISTORY.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'Case.csv'), CASES.join('\n') + '\n');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SDG-13: automated decisions on records kept out of them', () => {
  it('finds the owner change made while quarantined, not the package routing or eligible assignments', async () => {
    const { findings } = await auditAutomatedDecisions(dir, policy, ['Lead', 'Case']);
    const owner = findings.find((f) => f.title.includes('re-owned'));
    expect(owner).toMatchObject({
      control: 'SDG-13',
      severity: 'high',
      object: 'Lead',
      count: 1,
      recordIds: ['00Q000000000001AAA']
    });
    expect(owner?.query).toBe(
      "SELECT LeadId, Field, OldValue, NewValue, DataType, CreatedDate, CreatedById FROM LeadHistory WHERE Field IN ('Owner','Synthetic_Status__c','Synthetic_Data__c') AND LeadId IN (SELECT Id FROM Lead WHERE Synthetic_Data__c = true OR Synthetic_Status__c IN ('Flagged','Quarantined','Rejected')) ORDER BY LeadId, CreatedDate"
    );
  });

  it('finds a score set while quarantined, and ineligible records carrying one now', async () => {
    const { findings } = await auditAutomatedDecisions(dir, policy, ['Lead']);
    expect(findings.find((f) => f.title.includes('scored'))).toMatchObject({
      severity: 'medium',
      recordIds: ['00Q000000000004AAA']
    });
    // The authentic lead's score is no finding.
    expect(findings.find((f) => f.title.includes('carrying'))).toMatchObject({
      severity: 'low',
      recordIds: ['00Q000000000004AAA']
    });
  });

  it('says why an object without its history file is not run, and accepts --allow-missing history', async () => {
    const { notRun } = await auditAutomatedDecisions(dir, policy, ['Lead', 'Case']);
    expect(notRun).toEqual([
      expect.objectContaining({
        control: 'SDG-13',
        object: 'Case',
        allowed: false,
        reason: expect.stringContaining('no CaseHistory.csv') as string
      })
    ]);
    const accepted = await auditAutomatedDecisions(dir, policy, ['Case'], ['history']);
    expect(accepted.notRun.every((g) => g.allowed)).toBe(true);
    expect(accepted.notRun.map((g) => g.object)).toEqual(['Case', null]);
  });

  it('matches the package queue by its Id from Group.csv when its label was renamed', async () => {
    const renamed = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-decisions-renamed-'));
    try {
      fs.copyFileSync(path.join(dir, 'Lead.csv'), path.join(renamed, 'Lead.csv'));
      fs.writeFileSync(
        path.join(renamed, 'LeadHistory.csv'),
        HISTORY.filter((line) => !/"01700000000000[45]AAA"/.test(line))
          .map((line) => line.replace(/Synthetic Data Quarantine/g, 'Quarantaine IA'))
          .join('\n') + '\n'
      );
      const withoutGroups = await auditAutomatedDecisions(renamed, policy, ['Lead']);
      // Lead 1 is only routed into the package's queue: by label alone the renamed queue is a decision.
      expect(withoutGroups.findings.find((f) => f.title.includes('re-owned'))?.recordIds).toEqual([
        '00Q000000000001AAA'
      ]);
      fs.writeFileSync(
        path.join(renamed, 'Group.csv'),
        [
          '"Id","Name","DeveloperName","Type"',
          '"00G000000000001AAA","Quarantaine IA","Synthetic_Quarantine","Queue"',
          '"00G000000000002AAA","Sales","Sales","Queue"'
        ].join('\n') + '\n'
      );
      const { findings } = await auditAutomatedDecisions(renamed, policy, ['Lead']);
      expect(findings.find((f) => f.title.includes('re-owned'))).toBeUndefined();
    } finally {
      fs.rmSync(renamed, { recursive: true, force: true });
    }
  });

  it("does not report routing into the admin's own holding queue (--holding-queue)", async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-decisions-own-'));
    try {
      fs.copyFileSync(path.join(dir, 'Lead.csv'), path.join(own, 'Lead.csv'));
      fs.writeFileSync(
        path.join(own, 'LeadHistory.csv'),
        [
          HISTORY[0]!,
          row(
            1,
            2,
            '2026-05-01T10:00:00.000Z',
            'Synthetic_Status__c',
            'DynamicEnum',
            '',
            'Flagged'
          ),
          row(2, 2, '2026-05-01T10:00:00.000Z', 'Owner', 'Text', 'Web', 'Held Leads'),
          row(
            3,
            2,
            '2026-05-01T10:00:00.000Z',
            'Owner',
            'EntityId',
            '005000000000009AAA',
            '00G000000000007AAA'
          )
        ].join('\n') + '\n'
      );
      const leads = LEADS.map((line) => line.replace('"Released"', '"Flagged"'));
      fs.writeFileSync(path.join(own, 'Lead.csv'), leads.join('\n') + '\n');
      const reOwned = (r: { findings: { title: string }[] }) =>
        r.findings.some((f) => f.title.includes('re-owned'));
      expect(reOwned(await auditAutomatedDecisions(own, policy, ['Lead']))).toBe(true);
      expect(
        reOwned(await auditAutomatedDecisions(own, policy, ['Lead'], [], ['Held Leads']))
      ).toBe(false);
      expect(
        reOwned(await auditAutomatedDecisions(own, policy, ['Lead'], [], ['00G000000000007']))
      ).toBe(false);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it('follows the policy: Allow_All records nothing', async () => {
    const allowAll: PolicySet = {
      ...policy,
      policies: {
        ...policy.policies,
        Lead: { ...policy.policies.Lead!, automatedDecisions: 'Allow_All' }
      }
    };
    expect((await auditAutomatedDecisions(dir, allowAll, ['Lead'])).findings).toEqual([]);
  });

  it('finds the same with its history spilled to disk (a bound of a few facts)', async () => {
    // 300 leads in shuffled Id order, more than 50 findings of each kind, history rows of one
    // lead far apart in the file: the spilled join answers a partition at a time, yet the
    // findings, their counts and their first 50 ids in record order are the same.
    const big = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-decisions-spill-'));
    const spy = jest.spyOn(fs, 'mkdtempSync');
    try {
      let state = 11;
      const next = (n: number) => (state = (state * 48271) % 2147483647) % n;
      const statuses = ['', 'Flagged', 'Quarantined', 'Released', 'Rejected'];
      const id = (n: number) => `00Q${String(n).padStart(12, '0')}AAA`;
      const order = Array.from({ length: 300 }, (_, i) => i).sort(() => next(3) - 1);
      const leads = ['"Id","Synthetic_Data__c","Synthetic_Status__c","Lead_Score__c"'];
      for (const n of order)
        leads.push(
          `"${id(n)}","${next(2) ? 'true' : 'false'}","${statuses[next(5)]}","${next(2) ? '9' : ''}"`
        );
      const history = ['"LeadId","CreatedDate","Field","DataType","OldValue","NewValue"'];
      for (let i = 0; i < 1200; i++) {
        const field = ['Owner', 'Synthetic_Status__c', 'Lead_Score__c'][next(3)]!;
        const value =
          field === 'Owner'
            ? ['Ana', 'Synthetic Data Quarantine'][next(2)]
            : field === 'Lead_Score__c'
              ? ['', '7'][next(2)]
              : statuses[next(5)];
        history.push(
          `"${id(next(300))}","2026-05-0${1 + next(9)}T10:00:00.000Z","${field}","","${statuses[next(5)]}","${value}"`
        );
      }
      fs.writeFileSync(path.join(big, 'Lead.csv'), leads.join('\n') + '\n');
      fs.writeFileSync(path.join(big, 'LeadHistory.csv'), history.join('\n') + '\n');
      const inMemory = await auditAutomatedDecisions(big, policy, ['Lead']);
      expect(spy.mock.calls.some(([prefix]) => String(prefix).includes('sdg-history-'))).toBe(
        false
      );
      expect(inMemory.findings.map((f) => f.count > 50)).toEqual([true, true, true]);
      for (const memoryLimit of [1, 3, 500])
        expect(
          await auditAutomatedDecisions(big, policy, ['Lead'], [], [], { memoryLimit })
        ).toEqual(inMemory);
      expect(spy.mock.calls.some(([prefix]) => String(prefix).includes('sdg-history-'))).toBe(true);
      expect(fs.readdirSync(os.tmpdir()).some((f) => f.startsWith('sdg-history-'))).toBe(false);
      // The small fixture too: the same findings however small the bound.
      const small = await auditAutomatedDecisions(dir, policy, ['Lead', 'Case']);
      expect(
        await auditAutomatedDecisions(dir, policy, ['Lead', 'Case'], [], [], { memoryLimit: 1 })
      ).toEqual(small);
    } finally {
      spy.mockRestore();
      fs.rmSync(big, { recursive: true, force: true });
    }
  });

  it('rebuilds a tracked value at a time from the changes around it', () => {
    const changes = [
      { at: '2026-05-02T00:00:00.000Z', field: 'S', oldValue: 'A', newValue: 'B', dataType: '' },
      { at: '2026-05-04T00:00:00.000Z', field: 'S', oldValue: 'B', newValue: 'C', dataType: '' }
    ];
    expect(valueAt(changes, 'S', '2026-05-01T00:00:00.000Z', 'C')).toBe('A');
    expect(valueAt(changes, 'S', '2026-05-02T00:00:00.000Z', 'C')).toBe('B');
    expect(valueAt(changes, 'S', '2026-05-05T00:00:00.000Z', 'C')).toBe('C');
    expect(valueAt(changes, 'Other', '2026-05-05T00:00:00.000Z', 'now')).toBe('now');
  });
});
