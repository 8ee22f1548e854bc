import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureIo } from '../../test/capture-io';
import { fakeApi, FakeSalesforce } from '../../test/fake-salesforce';
import { runAudit, AuditCommandOptions } from '../audit/audit-command';
import type { AuditResult } from '../audit/export-auditor';
import { governedColumnsOf } from '../audit/governed-columns';
import { loadPackagePolicy, PolicySet } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { OPTIONAL_PROVENANCE_FIELDS, PROVENANCE_FIELDS } from '../provenance-model/schema';
import { RecallPlanOptions, runRecallPlan } from '../recall/recall-command';
import type { OrgReadPlan } from './org-audit-source';
import { cascadeChildren } from '../recall/recall-org-plan';
import { readOrgGoverned } from './org-governed';

// An org where an admin governed a custom object and Task with sdg govern: both have a policy
// record (the Lead defaults govern copies), Invoice__c all 13 fields, Task the 12 it can take.
const packagePolicy = loadPackagePolicy(PROJECT_ROOT);
const policy: PolicySet = {
  ...packagePolicy,
  policies: {
    ...packagePolicy.policies,
    Invoice__c: packagePolicy.policies.Lead!,
    Task: packagePolicy.policies.Lead!
  }
};
const RECORD_FIELDS = Object.values(PROVENANCE_FIELDS) as string[];
const TASK_FIELDS = RECORD_FIELDS.filter((f) => !OPTIONAL_PROVENANCE_FIELDS.includes(f));

let fake: FakeSalesforce;
const connect = (org: string) => Promise.resolve(fakeApi(fake, org));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-governed-'));

async function start(objects: Record<string, { fields: string[]; nameField?: string }>) {
  fake = await new FakeSalesforce({ policy }).start();
  for (const [object, { fields, nameField }] of Object.entries(objects))
    fake.defineObject(object, fields, nameField);
}
afterEach(() => fake.stop());

const governedOrg = () =>
  start({
    Invoice__c: { fields: ['Name', ...RECORD_FIELDS] },
    Task: { fields: ['Subject', ...TASK_FIELDS], nameField: 'Subject' }
  });

const auditOptions = (extra: Partial<AuditCommandOptions> = {}): AuditCommandOptions => ({
  targetOrg: 'fake',
  out: tmp(),
  format: 'json',
  failOn: 'critical',
  slaDays: '7',
  json: true,
  now: '2026-06-01T12:00:00Z',
  ...extra
});

async function audit(extra: Partial<AuditCommandOptions> = {}) {
  const { io, out, err } = captureIo();
  const code = await runAudit(auditOptions(extra), io, connect);
  const parsed = out.length
    ? (JSON.parse(out.join('\n')) as AuditResult & { read?: OrgReadPlan; queries?: string[] })
    : null;
  return { code, err: err.join('\n'), result: parsed };
}

const quarantinedWithoutProvenance = (extra: Record<string, unknown> = {}) => ({
  Synthetic_Data__c: true,
  Synthetic_Status__c: 'Quarantined',
  Synthetic_Reasons__c: 'MISSING_PROVENANCE',
  CreatedDate: '2026-05-01T10:00:00.000+0000',
  ...extra
});

/** `sdg recall plan --target-org fake … --json` into a plan file of its own. */
async function planFromOrg(selector: RecallPlanOptions) {
  const { io, out, err } = captureIo();
  const file = path.join(tmp(), 'plan.json');
  const code = await runRecallPlan(
    {
      targetOrg: 'fake',
      ...selector,
      now: '2026-06-01T12:00:00Z',
      out: file,
      json: true
    },
    io,
    connect
  );
  return { code, out, err, file };
}

describe('objects governed by configuration, read from the org (sdg govern on Invoice__c and Task)', () => {
  it('describes each object the policy records add: its columns and its name field', async () => {
    await governedOrg();
    const governed = await readOrgGoverned(fakeApi(fake), policy);
    expect(governed.map((g) => g.object)).toEqual(['Invoice__c', 'Task']);
    const task = governed.find((g) => g.object === 'Task')!;
    expect(task.columns.slice(0, 3)).toEqual(['Id', 'Subject', 'CreatedDate']);
    expect(task.columns).not.toContain(PROVENANCE_FIELDS.reviewedBy);
    expect(governed[0]!.columns).toContain(PROVENANCE_FIELDS.reviewedBy);
  });

  it('sdg audit --target-org audits every governed object, not only the five', async () => {
    await governedOrg();
    fake.insert('Invoice__c', { Name: 'INV-1', ...quarantinedWithoutProvenance() });
    fake.insert('Task', { Subject: 'Call back', ...quarantinedWithoutProvenance() });
    fake.insert('Task', { Subject: 'Authentic', Synthetic_Data__c: false });
    const { code, err, result } = await audit();
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(result!.read!.Invoice__c).toEqual({ rows: 1, api: 'REST' });
    expect(result!.read!.Task).toEqual({ rows: 2, api: 'REST' });
    expect(result!.objects.Invoice__c!.records).toBe(1);
    expect(result!.objects.Task!.records).toBe(2);
    expect(result!.objects.Task!.synthetic).toBe(1);
    const taskQuery = fake.requests
      .map((r) => decodeURIComponent(r.path))
      .find((p) => /SELECT Id, .* FROM Task$/.test(p));
    expect(taskQuery).toContain('SELECT Id, Subject, CreatedDate');
    expect(taskQuery).not.toContain(PROVENANCE_FIELDS.reviewedBy);
  });

  it('refuses, with what to deploy, an object the policy governs without its fields', async () => {
    await start({ Invoice__c: { fields: ['Name', ...RECORD_FIELDS] }, Task: { fields: [] } });
    const { code, err } = await audit();
    expect(code).toBe(2);
    expect(err).toContain('A Synthetic_Policy__mdt record governs Task, but Task lacks');
    expect(err).toContain('sdg govern --object Task');
  });

  it('refuses a policy naming an object the org does not have', async () => {
    await start({ Task: { fields: ['Subject', ...TASK_FIELDS], nameField: 'Subject' } });
    const { code, err } = await audit();
    expect(code).toBe(2);
    expect(err).toContain('this org has no object with that API name');
  });

  it('sdg audit --queries --target-org prints an export query for each governed object', async () => {
    await governedOrg();
    const { code, result } = await audit({ queries: true });
    expect(code).toBe(0);
    expect(result!.queries).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^SELECT Id, Name, CreatedDate, .*Synthetic_Reviewed_By__c.* FROM Invoice__c$/
        ),
        expect.stringMatching(/^SELECT Id, Subject, CreatedDate, .* FROM Task$/)
      ])
    );
    expect(result!.queries!.find((q) => q.endsWith('FROM Task'))).not.toContain(
      PROVENANCE_FIELDS.reviewedBy
    );
  });

  it('sdg recall plan --target-org selects records of a governed object beyond the five', async () => {
    await governedOrg();
    const taskId = fake.insert('Task', { Subject: 'Call back', ...quarantinedWithoutProvenance() });
    fake.insert('Invoice__c', { Name: 'INV-1', ...quarantinedWithoutProvenance() });
    const { code, out, err, file } = await planFromOrg({
      action: 'quarantine',
      status: ['Quarantined'],
      object: ['Task']
    });
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    expect((JSON.parse(out.join('\n')) as { counts: Record<string, number> }).counts).toEqual({
      Task: 1
    });
    const plan = JSON.parse(fs.readFileSync(file, 'utf8')) as { records: Record<string, string[]> };
    expect(plan.records.Task).toEqual([taskId]);
  });

  it('sdg recall plan --target-org covers every governed object when the selector names none', async () => {
    await governedOrg();
    fake.insert('Task', { Subject: 'Call back', ...quarantinedWithoutProvenance() });
    fake.insert('Invoice__c', { Name: 'INV-1', ...quarantinedWithoutProvenance() });
    const { code, out } = await planFromOrg({
      action: 'quarantine',
      status: ['Quarantined']
    });
    expect(code).toBe(0);
    expect((JSON.parse(out.join('\n')) as { counts: Record<string, number> }).counts).toEqual({
      Invoice__c: 1,
      Task: 1
    });
  });
});

describe('sdg recall plan --target-org --action delete: governed master-detail children', () => {
  it('counts the configured children a deleted Account takes with it, as RecallApplier backs them up', async () => {
    fake = await new FakeSalesforce({ policy }).start();
    fake.defineObject('Invoice__c', ['Name', ...RECORD_FIELDS], 'Name', { Account__c: 'Account' });
    fake.defineObject('Task', ['Subject', ...TASK_FIELDS], 'Subject');
    const account = fake.insert('Account', {
      Name: 'Synthetic Co',
      ...quarantinedWithoutProvenance()
    });
    const invoice = fake.insert('Invoice__c', { Name: 'INV-9', Account__c: account });
    const { code, out, err, file } = await planFromOrg({
      action: 'delete',
      object: ['Account'],
      status: ['Quarantined']
    });
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    expect((JSON.parse(out.join('\n')) as { counts: Record<string, number> }).counts).toEqual({
      Account: 1,
      Invoice__c: 1
    });
    const plan = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      records: Record<string, string[]>;
      cascaded: Record<string, number>;
    };
    expect(plan.records.Invoice__c).toEqual([invoice]);
    expect(plan.cascaded).toEqual({ Invoice__c: 1 });
  });
});

describe("sdg recall plan --target-org --action delete: children from the parent's describe", () => {
  it('lists every Task the Account takes, archived ones too, by every cascade field, as RecallCascade does', async () => {
    fake = await new FakeSalesforce({ policy }).start();
    fake.defineObject('Invoice__c', ['Name', ...RECORD_FIELDS], 'Name', { Account__c: 'Account' });
    // Task.WhatId says cascadeDelete false on the field; only Account's childRelationships say true.
    fake.defineObject(
      'Task',
      ['Subject', 'IsArchived', ...TASK_FIELDS],
      'Subject',
      {},
      { AccountId: 'Account', WhatId: 'Account' }
    );
    const account = fake.insert('Account', {
      Name: 'Synthetic Co',
      ...quarantinedWithoutProvenance()
    });
    const live = fake.insert('Task', { Subject: 'Call', WhatId: account, IsArchived: false });
    const archived = fake.insert('Task', {
      Subject: 'Old call',
      AccountId: account,
      IsArchived: true
    });
    fake.insert('Task', { Subject: 'Binned', WhatId: account, IsDeleted: true });
    const { code, err, file } = await planFromOrg({
      action: 'delete',
      object: ['Account'],
      status: ['Quarantined']
    });
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const plan = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      records: Record<string, string[]>;
      cascaded: Record<string, number>;
    };
    expect([...plan.records.Task!].sort()).toEqual([live, archived].sort());
    expect(plan.cascaded).toEqual({ Task: 2 });
    const taskQuery = fake.requests
      .map((r) => decodeURIComponent(r.path))
      .find((p) => p.includes('FROM Task WHERE'));
    expect(taskQuery).toContain('/queryAll?q=');
    expect(taskQuery).toContain(
      `(AccountId IN ('${account}') OR WhatId IN ('${account}')) AND IsDeleted = false`
    );
  });

  it('gives the children every shared cascade vector lists, as RecallCascade.childrenOf does', () => {
    const file = path.join(
      PROJECT_ROOT,
      'force-app/test/recall/staticresources/RecallCascadeVectors.json'
    );
    const { vectors } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      vectors: {
        name: string;
        parent: string;
        governed: string[];
        relations: { childSObject: string; field: string; cascadeDelete: boolean }[];
        expected: { child: string; fields: string[] }[];
      }[];
    };
    expect(vectors.length).toBeGreaterThanOrEqual(4);
    for (const vector of vectors) {
      const children = cascadeChildren(vector.governed, { [vector.parent]: vector.relations });
      expect({
        name: vector.name,
        children: (children[vector.parent] ?? []).map(({ child, fields }) => ({ child, fields }))
      }).toEqual({ name: vector.name, children: vector.expected });
    }
  });

  it("orders children as the in-org run: the package's by AccountId, then configured, fields sorted", () => {
    const children = cascadeChildren(
      ['Lead', 'Contact', 'Account', 'Case', 'Opportunity', 'Task', 'Invoice__c'],
      {
        Account: [
          { childSObject: 'Task', field: 'WhatId', cascadeDelete: true },
          { childSObject: 'Task', field: 'AccountId', cascadeDelete: true },
          { childSObject: 'Invoice__c', field: 'Account__c', cascadeDelete: true },
          { childSObject: 'Note__c', field: 'Account__c', cascadeDelete: true },
          { childSObject: 'Invoice__c', field: 'Billed__c', cascadeDelete: false }
        ]
      },
      new Set(['Task'])
    );
    expect(children.Account).toEqual([
      { child: 'Contact', fields: ['AccountId'], withArchived: false },
      { child: 'Case', fields: ['AccountId'], withArchived: false },
      { child: 'Opportunity', fields: ['AccountId'], withArchived: false },
      { child: 'Invoice__c', fields: ['Account__c'], withArchived: false },
      { child: 'Task', fields: ['AccountId', 'WhatId'], withArchived: true }
    ]);
    expect(children.Lead).toBeUndefined();
  });
});

describe('objects governed by configuration, read from an export policy (sdg audit --queries --from)', () => {
  beforeEach(async () => {
    fake = await new FakeSalesforce({ policy }).start();
  });

  it('prints a query per object the policy file governs, with the fields sdg govern gives it', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify(policy));
    const { code, result } = await audit({ targetOrg: undefined, from: dir, queries: true });
    expect(code).toBe(0);
    const task = result!.queries!.find((q) => q.endsWith('FROM Task'));
    expect(task).toBe(`SELECT Id, CreatedDate, ${TASK_FIELDS.join(', ')} FROM Task`);
    expect(result!.queries!.some((q) => q.endsWith('FROM Invoice__c'))).toBe(true);
  });

  it('prints only the five without a policy file', async () => {
    const { result } = await audit({ targetOrg: undefined, from: tmp(), queries: true });
    expect(result!.queries!.some((q) => q.endsWith('FROM Task'))).toBe(false);
    expect(governedColumnsOf(undefined)).toEqual([]);
  });
});
