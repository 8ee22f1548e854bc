import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureIo } from '../../test/capture-io';
import { fakeApi, FakeRecord, FakeSalesforce } from '../../test/fake-salesforce';
import { loadPackagePolicy, PolicySet } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { RECALL } from '../provenance-model/schema';
import {
  runRecallApply,
  runRecallPlan,
  runRecallUndo,
  RecallApplyOptions,
  RecallPlanOptions
} from './recall-command';
import type { OrgApplySummary, OrgUndoSummary } from './recall-org';
import { RECALL_API } from './recall-org';
import type { PlanSummary, RecallPlan } from './recall-plan';

const policy = loadPackagePolicy(PROJECT_ROOT);
let fake: FakeSalesforce;
let base: string;
const connect = (org: string) => Promise.resolve(fakeApi(fake, org));

/** Five kinds of records: two models, a batch, authentic ones, and an Account with children. */
function populate(): void {
  const lead = (n: number, fields: FakeRecord) =>
    fake.insert('Lead', {
      LastName: `Lead ${n}`,
      Company: 'Acme',
      Synthetic_Data__c: true,
      Synthetic_Status__c: 'Disclosed',
      Generated_At__c: '2026-05-01T10:00:00.000Z',
      CreatedDate: '2026-05-01T10:00:00.000Z',
      ...fields
    });
  for (let n = 0; n < 6; n++)
    lead(n, { AI_Model__c: 'local/llama-3-70b', Provenance_Batch__c: 'import-1' });
  for (let n = 6; n < 10; n++) lead(n, { AI_Model__c: 'openai/gpt-4o' });
  for (let n = 10; n < 13; n++)
    lead(n, { Synthetic_Data__c: false, Synthetic_Status__c: null, AI_Model__c: null });
  const account = fake.insert('Account', {
    Name: 'Synthetic Co',
    Synthetic_Data__c: true,
    Synthetic_Status__c: 'Disclosed',
    AI_Model__c: 'local/llama-3-70b',
    CreatedDate: '2026-05-01T10:00:00.000Z'
  });
  fake.insert('Contact', { LastName: 'Child', AccountId: account });
  fake.insert('Opportunity', { Name: 'Deal', AccountId: account });
}

beforeEach(async () => {
  fake = await new FakeSalesforce({ policy }).start();
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-recall-org-'));
  populate();
});
afterEach(async () => {
  await fake.stop();
  fs.rmSync(base, { recursive: true, force: true });
});

async function plan(options: Partial<RecallPlanOptions>) {
  const { io, out, err } = captureIo();
  const out_ = path.join(base, 'plan.json');
  const code = await runRecallPlan(
    { targetOrg: 'fake', out: out_, json: true, ...options },
    io,
    connect
  );
  return {
    code,
    err: err.join('\n'),
    summary: out.length ? (JSON.parse(out.join('\n')) as PlanSummary) : null,
    file: out_
  };
}

async function apply(file: string, options: Partial<RecallApplyOptions>) {
  const { io, out, err } = captureIo();
  const code = await runRecallApply(
    file,
    { to: base, poll: '0', json: true, ...options },
    io,
    connect
  );
  return {
    code,
    err: err.join('\n'),
    summary: out.length ? (JSON.parse(out.join('\n')) as OrgApplySummary) : null
  };
}

/** A second person approves the recall on the CLI's second look, and its batch runs. */
function approveOnSecondPoll(fail = new Set<string>()): void {
  const polls = new Map<string, number>();
  fake.onRecallPoll = (recall) => {
    const id = String(recall.Id);
    polls.set(id, (polls.get(id) ?? 0) + 1);
    if (polls.get(id) === 2 && recall[RECALL.fields.state] === 'Requested')
      fake.runRecall(id, { fail });
  };
}

const leads = () => [...fake.records.get('Lead')!.values()];
const recallPosts = () =>
  fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith(RECALL_API));

describe('sdg recall plan --target-org', () => {
  it('lists the records the selector takes, with the SOQL the batch runs', async () => {
    const { code, summary, file } = await plan({ action: 'quarantine', model: ['LOCAL/*'] });
    expect(code).toBe(0);
    expect(summary!.counts).toEqual({ Lead: 6, Account: 1 });
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as RecallPlan;
    expect(written.source).toEqual({ kind: 'org', org: 'fake' });
    expect(written.soql.Lead).toBe(
      "SELECT Id, AI_Model__c FROM Lead WHERE AI_Model__c LIKE 'LOCAL/%' ORDER BY Id"
    );
    expect(written.records.Lead).toHaveLength(6);
  });

  it('counts the children a deleted Account takes with it', async () => {
    const { summary, file } = await plan({
      action: 'delete',
      object: ['Account'],
      model: ['local/*']
    });
    expect(summary!.counts).toEqual({ Account: 1, Contact: 1, Opportunity: 1 });
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as RecallPlan).cascaded).toEqual({
      Contact: 1,
      Opportunity: 1
    });
  });

  it("plans retention by the org's own policy", async () => {
    const withRetention: PolicySet = structuredClone(policy);
    withRetention.policies.Lead!.syntheticRetentionDays = 10;
    fake.options.policy = withRetention;
    const { code, summary } = await plan({ retention: true, now: '2026-06-01T00:00:00Z' });
    expect(code).toBe(0);
    expect(summary!.counts).toEqual({ Lead: 10 });
    expect(summary!.action).toBe('retention');
  });

  it('refuses --from with --target-org, and says to log in again when the session expired', async () => {
    expect((await plan({ action: 'quarantine', model: ['x'], from: base })).code).toBe(2);
    fake.faults.expiredSession = true;
    const { code, err } = await plan({ action: 'quarantine', model: ['x'] });
    expect(code).toBe(2);
    expect(err).toMatch(/sf org login web --alias fake/);
  });
});

describe('sdg recall apply (org plan)', () => {
  it('requests the recall, waits for the second person and the batch, and writes the results', async () => {
    const { file } = await plan({ action: 'quarantine', model: ['local/*'], object: ['Lead'] });
    approveOnSecondPoll();
    const { code, summary, err } = await apply(file, { confirm: '6' });
    expect(code).toBe(0);
    expect(summary).toMatchObject({
      applied: 6,
      failed: 0,
      skipped: 0,
      changes: null,
      resumed: false
    });
    expect(summary!.org).toMatchObject({ org: 'fake', name: 'RC-000001', state: 'Applied' });
    expect(summary!.org.url).toBe(
      `${fake.url}/lightning/r/Synthetic_Recall__c/${summary!.org.id}/view`
    );
    expect(err).toMatch(/RC-000001: Requested \(waiting for a second person/);
    expect(summary).toMatchObject({ notTaken: 0, unplanned: 0 });
    const quarantined = leads().filter((l) => l.Synthetic_Status__c === 'Quarantined');
    expect(quarantined).toHaveLength(6);
    expect(quarantined.every((l) => String(l.Synthetic_Reasons__c).includes('RECALLED'))).toBe(
      true
    );
    const folder = path.dirname(summary!.backup);
    const results = JSON.parse(fs.readFileSync(path.join(folder, 'results.json'), 'utf8')) as {
      records: { result: string }[];
    };
    expect(results.records).toHaveLength(6);
    expect(results.records.every((r) => r.result === 'applied')).toBe(true);
    expect(
      fs.readFileSync(path.join(folder, 'backup', 'Lead.jsonl'), 'utf8').split('\n')
    ).toHaveLength(7);
    expect(fs.existsSync(path.join(folder, 'plan.json'))).toBe(true);
  });

  it('exits 1 and reports each failed record when some fail (partial failure)', async () => {
    const { file } = await plan({ action: 'quarantine', batch: 'import-1' });
    const locked = leads().find((l) => l.Provenance_Batch__c === 'import-1')!.Id as string;
    approveOnSecondPoll(new Set([locked]));
    const { code, summary } = await apply(file, { confirm: '6' });
    expect(code).toBe(1);
    expect(summary).toMatchObject({ applied: 5, failed: 1 });
    expect(summary!.org.state).toBe('Partially Applied');
    const results = fs.readFileSync(
      path.join(path.dirname(summary!.backup), 'results.json'),
      'utf8'
    );
    expect(results).toContain(
      `"id":"${locked}","action":"quarantine","result":"failed","message":"UNABLE_TO_LOCK_ROW`
    );
  });

  it('refuses a wrong --confirm and a plan the org no longer matches, changing nothing', async () => {
    const { file } = await plan({ action: 'quarantine', batch: 'import-1' });
    expect((await apply(file, { confirm: '5' })).code).toBe(2);
    expect(recallPosts()).toHaveLength(0);
    fake.insert('Lead', { LastName: 'Late', Provenance_Batch__c: 'import-1' });
    const { code, err } = await apply(file, { confirm: '6' });
    expect(code).toBe(2);
    expect(err).toMatch(
      /now has 7 record\(s\) for this selector; the plan has 6.*RC-000001 was cancelled/
    );
    expect([...fake.records.get(RECALL.name)!.values()][0]![RECALL.fields.state]).toBe('Cancelled');
    expect(leads().some((l) => l.Synthetic_Status__c === 'Quarantined')).toBe(false);
  });

  it('exits 3 while the recall waits for approval, and a rerun follows the same recall', async () => {
    const { file } = await plan({ action: 'quarantine', batch: 'import-1' });
    const first = await apply(file, { confirm: '6', wait: '0' });
    expect(first.code).toBe(3);
    expect(first.summary!.org.state).toBe('Requested');
    approveOnSecondPoll();
    const second = await apply(file, { confirm: '6' });
    expect(second.code).toBe(0);
    expect(second.summary).toMatchObject({ resumed: true, applied: 6 });
    expect(recallPosts()).toHaveLength(1);
  });

  it('exits 3 when the recall is cancelled in the org', async () => {
    const { file } = await plan({ action: 'quarantine', batch: 'import-1' });
    fake.onRecallPoll = (recall) => (recall[RECALL.fields.state] = 'Cancelled');
    const { code, summary } = await apply(file, { confirm: '6' });
    expect(code).toBe(3);
    expect(summary!.org.state).toBe('Cancelled');
  });

  it('refuses to apply a retention plan (the nightly job does) or on another org', async () => {
    const retention = await plan({ retention: true });
    const { code, err } = await apply(retention.file, {
      confirm: String(retention.summary!.total)
    });
    expect(code).toBe(2);
    expect(err).toMatch(/nightly SyntheticRetentionJob/);
    const { file } = await plan({ action: 'quarantine', batch: 'import-1' });
    expect((await apply(file, { confirm: '6', targetOrg: 'prod' })).err).toMatch(
      /made on fake; apply it there/
    );
  });
});

describe('sdg recall undo --target-org', () => {
  it('deletes an Account with its children, then puts every record back', async () => {
    const before = JSON.stringify([...fake.records.get('Contact')!.values()]);
    const { file } = await plan({ action: 'delete', object: ['Account'], model: ['local/*'] });
    approveOnSecondPoll();
    const applied = await apply(file, { confirm: '3' });
    expect(applied.code).toBe(0);
    expect(applied.summary!.applied).toBe(3);
    expect(fake.records.get('Account')!.size).toBe(0);
    expect(fake.records.get('Contact')!.size).toBe(0);
    const { io, out } = captureIo();
    const folder = path.dirname(applied.summary!.backup);
    const code = await runRecallUndo(
      folder,
      { targetOrg: 'fake', poll: '0', json: true },
      io,
      connect
    );
    expect(code).toBe(0);
    const undo = JSON.parse(out.join('\n')) as OrgUndoSummary;
    expect(undo).toMatchObject({ undoes: 'RC-000001', restored: 3, failed: 0 });
    expect(undo.to).toBe(`${folder}-undo`);
    expect(undo.org.action).toBe('Undo');
    expect(JSON.stringify([...fake.records.get('Contact')!.values()])).toBe(before);
    expect(fake.records.get('Account')!.size).toBe(1);
  });

  it('refuses a folder that is not an org recall', async () => {
    const { io, err } = captureIo();
    expect(await runRecallUndo(base, { targetOrg: 'fake' }, io, connect)).toBe(2);
    expect(err.join('\n')).toMatch(/not an org recall/);
  });
});
