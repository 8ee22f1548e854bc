import { fakeApi, FakeSalesforce } from '../../test/fake-salesforce';
import type { Connection, Org } from '@salesforce/core';
import { loadPackagePolicy } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { explainApiError, reloginCommand, sessionOf } from './org-connection';
import { OrgApiError, parseBulkError, SalesforceApi, UpsertRecord } from './salesforce-api';

const policy = loadPackagePolicy(PROJECT_ROOT);
let fake: FakeSalesforce;

beforeEach(async () => {
  fake = await new FakeSalesforce({ policy, triggersActive: false }).start();
});
afterEach(() => fake.stop());

async function failure(work: Promise<unknown>): Promise<OrgApiError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof OrgApiError) return error;
    throw error;
  }
  throw new Error('expected an OrgApiError');
}

const lead = (n: number, fields: UpsertRecord['fields'] = {}): UpsertRecord => ({
  key: `k-${n}`,
  fields: { LastName: `Lead ${n}`, Company: 'Acme', ...fields }
});

describe('the fake org answers as the REST API documents', () => {
  it('refuses an empty IN () as MALFORMED_QUERY', async () => {
    const error = await failure(
      fakeApi(fake).queryAll('SELECT Id FROM PermissionSet WHERE Name IN ()')
    );
    expect([error.errorCode, error.status]).toEqual(['MALFORMED_QUERY', 400]);
  });

  it('refuses an unknown field as INVALID_FIELD, status 400, body [{message, errorCode}]', async () => {
    const soql = 'SELECT Id, Not_A_Field__c FROM Lead';
    const response = await fetch(
      `${fake.url}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`,
      {
        headers: { Authorization: `Bearer ${fake.accessToken}` }
      }
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; errorCode: string }[];
    expect(body).toEqual([
      {
        message: expect.stringContaining(
          "No such column 'Not_A_Field__c' on entity 'Lead'"
        ) as string,
        errorCode: 'INVALID_FIELD'
      }
    ]);
    const error = await failure(fakeApi(fake).queryAll('SELECT Id FROM Lead WHERE Nope__c = 1'));
    expect(error.errorCode).toBe('INVALID_FIELD');
  });

  it('keeps DateTimes at whole seconds and answers them as …T01:10:00.000+0000', async () => {
    const api = fakeApi(fake);
    await api.upsertCollection('Lead', 'Source_Record_Id__c', [
      lead(1, { Generated_At__c: '2026-06-01T01:10:00.789Z' })
    ]);
    const [row] = await api.queryAll('SELECT CreatedDate, Generated_At__c FROM Lead');
    expect(row!.fields.Generated_At__c).toBe('2026-06-01T01:10:00.000+0000');
    expect(row!.fields.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
  });

  it('answers an empty lookup as null, not as an object of nulls', async () => {
    fake.insert('Contact', { LastName: 'Solo', AccountId: null });
    const soql = 'SELECT Id, Account.Name FROM Contact';
    const response = await fetch(
      `${fake.url}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`,
      {
        headers: { Authorization: `Bearer ${fake.accessToken}` }
      }
    );
    const body = (await response.json()) as { records: Record<string, unknown>[] };
    expect(body.records[0]!.Account).toBeNull();
  });
});

describe('partial success (allOrNone false)', () => {
  it('rolls back and saves the records that succeeded again, running the triggers again', async () => {
    await fake.stop();
    fake = await new FakeSalesforce({ policy }).start();
    fake.faults.lockedKeys = new Map([['k-2', 1]]);
    const results = await fakeApi(fake).upsertCollection('Lead', 'Source_Record_Id__c', [
      lead(1),
      lead(2),
      lead(3)
    ]);
    expect(results.map((r) => r.success)).toEqual([true, false, true]);
    expect(fake.records.get('Lead')!.size).toBe(2);
    // Audit events are published immediately: the rolled-back attempt's two stay, then two more.
    expect(fake.events).toHaveLength(4);
    const stored = new Set(fake.records.get('Lead')!.keys());
    expect(fake.events.filter((e) => stored.has(e.recordId))).toHaveLength(2);
  });
});

describe('Bulk API 2.0 ingest', () => {
  it('leaves a field unchanged for an empty cell (the fake no longer blanks it)', async () => {
    const api = fakeApi(fake);
    await api.upsertCollection('Lead', 'Source_Record_Id__c', [lead(1, { Email: 'jo@acme.test' })]);
    await api.bulkUpsert(
      'Lead',
      'Source_Record_Id__c',
      ['LastName', 'Company', 'Email'],
      [lead(1, { Email: null })]
    );
    const [row] = await api.queryAll('SELECT Email FROM Lead');
    expect(row!.fields.Email).toBe('jo@acme.test');
  });

  it('reads sf__Error as CODE:message:fields -- and keeps only the message', async () => {
    const [result] = await fakeApi(fake).bulkUpsert(
      'Lead',
      'Source_Record_Id__c',
      ['LastName'],
      [{ key: 'k-1', fields: { LastName: null } }]
    );
    expect(result).toMatchObject({
      success: false,
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [LastName]'
    });
    expect(parseBulkError('INVALID_FIELD:Foreign key external ID: x not found:--')).toEqual({
      code: 'INVALID_FIELD',
      message: 'Foreign key external ID: x not found'
    });
  });

  it('reads the results of a job that ended Failed instead of aborting', async () => {
    fake.faults.failIngestAfter = 200;
    const records = Array.from({ length: 300 }, (_, i) => lead(i));
    const results = await fakeApi(fake).bulkUpsert(
      'Lead',
      'Source_Record_Id__c',
      ['LastName', 'Company'],
      records
    );
    expect(results.filter((r) => r.success)).toHaveLength(200);
    const unprocessed = results.filter((r) => r.errorCode === 'UNPROCESSED');
    expect(unprocessed).toHaveLength(100);
    expect(unprocessed[0]!.message).toMatch(/failed before this record \(InvalidBatch/);
    expect(fake.requests.some((r) => r.path.endsWith('/unprocessedrecords'))).toBe(true);
  });
});

describe('retries', () => {
  it('does not repeat a POST whose answer was lost: one Bulk job, and an error that says so', async () => {
    fake.faults.dropAfterCommit = 1;
    const error = await failure(
      fakeApi(fake).json('POST', '/jobs/ingest', { object: 'Lead', operation: 'insert' })
    );
    expect(error.errorCode).toBe('UNCERTAIN_OUTCOME');
    expect(fake.requests.filter((r) => r.path.endsWith('/jobs/ingest'))).toHaveLength(1);
    expect(explainApiError(error, 'prod')).toContain('Check prod before running the command again');
  });

  it('repeats an upsert by external id whose answer was lost, without a duplicate', async () => {
    fake.faults.dropAfterCommit = 1;
    const [result] = await fakeApi(fake).upsertCollection('Lead', 'Source_Record_Id__c', [lead(1)]);
    expect(result!.success).toBe(true);
    expect(fake.records.get('Lead')!.size).toBe(1);
  });
});

describe('session renewal', () => {
  const connection = (fields: Record<string, unknown>, refresh: () => Promise<void>) => {
    const c = {
      instanceUrl: 'https://acme.my.salesforce.com/',
      accessToken: 'old',
      getApiVersion: () => '66.0',
      getAuthInfoFields: () => fields,
      refreshAuth: async () => {
        await refresh();
        c.accessToken = 'new';
      }
    };
    return c;
  };
  const org = { getUsername: () => 'ci@acme.test' } as unknown as Org;

  it('renews a JWT login (no refresh token) through @salesforce/core', async () => {
    const c = connection({ username: 'ci@acme.test', privateKey: '/tmp/devhub.key' }, () =>
      Promise.resolve()
    );
    const session = sessionOf(org, c as unknown as Connection, 'ci');
    expect(session.refresh).toBeDefined();
    expect(await session.refresh!()).toBe('new');
    expect(session.relogin).toContain('sf org login jwt --username ci@acme.test');
  });

  it('renews an expired session once, then says how to log in again for that kind of login', async () => {
    let renewals = 0;
    const api = new SalesforceApi(
      {
        ...fakeApi(fake).session,
        accessToken: 'expired',
        refresh: () => {
          renewals++;
          return Promise.resolve(fake.accessToken);
        }
      },
      fakeApi(fake).retry
    );
    expect(await api.count('SELECT COUNT() FROM Lead')).toBe(0);
    expect(renewals).toBe(1);
    const stale = new SalesforceApi(
      {
        ...fakeApi(fake).session,
        accessToken: 'expired',
        refresh: () => Promise.reject(new Error('JWT key file missing')),
        relogin: reloginCommand({ privateKey: '/tmp/devhub.key' }, 'ci')
      },
      fakeApi(fake).retry
    );
    const error = await failure(stale.count('SELECT COUNT() FROM Lead'));
    expect(explainApiError(error, 'ci')).toMatch(
      /renewing it failed: JWT key file missing.*sf org login jwt/
    );
    expect(reloginCommand({ refreshToken: 'x' }, 'prod')).toBe('sf org login web --alias prod');
  });
});
