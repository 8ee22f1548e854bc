import { captureIo } from '../../test/capture-io';
import { fakeApi, FakeSalesforce } from '../../test/fake-salesforce';
import { ChainVerifier } from '../audit-chain/chain-verifier';
import { noteDigest } from '../audit-chain/audit-notes';
import { toEvent } from '../audit-chain/export-reader';
import { loadPackagePolicy } from '../policy/package-policy';
import { PROJECT_ROOT } from '../project-root';
import { runCli } from '../cli/program';
import { OrgApiError, SalesforceApi } from '../org/salesforce-api';
import {
  ERASE_EXIT,
  EraseOptions,
  ErasureResult,
  explainEraseError,
  runErase
} from './erase-command';

const policy = loadPackagePolicy(PROJECT_ROOT);
const SUBJECT = '00Q000000000001AAA';
const OTHER = '00Q000000000002AAA';
const REASON = 'Called Jane Doe on +44 20 7946 0000, she confirmed the lead';

let fake: FakeSalesforce;
const connect = (org: string) => Promise.resolve(fakeApi(fake, org));

beforeEach(async () => {
  fake = await new FakeSalesforce({ policy }).start();
});
afterEach(() => fake.stop());

/** A review with a reason, as the org's publisher writes it: the digest in the chain, the text in a note. */
function review(recordId: string, nonce: string, text: string): void {
  const digest = noteDigest(nonce, text);
  const payload = JSON.stringify({
    decision: 'ACCEPT',
    eventType: 'Release',
    reasons: [],
    recordId,
    reviewReasonDigest: digest,
    status: 'Released'
  });
  fake.appendWithNote(recordId, payload, { digest, nonce, text, kind: 'reviewReason' });
}

async function erase(options: Partial<EraseOptions>) {
  const { io, out, err } = captureIo();
  const code = await runErase({ targetOrg: 'fake', json: true, ...options }, io, connect);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function verify() {
  const verifier = new ChainVerifier();
  fake.events.forEach((event) => verifier.push(event));
  return verifier.finish();
}

describe('sdg erase --target-org', () => {
  it('erases the notes of a record, appends an Erasure event, and the chain still verifies offline', async () => {
    review(SUBJECT, '00112233445566778899aabbccddeeff', REASON);
    review(SUBJECT, 'ffeeddccbbaa99887766554433221100', 'Second look by John Smith');
    review(OTHER, '0123456789abcdef0123456789abcdef', 'Checked with the vendor');
    const before = verify();
    expect(before.intact).toBe(true);

    const { code, out } = await erase({ record: SUBJECT });

    expect(code).toBe(ERASE_EXIT.DONE);
    const result = JSON.parse(out) as ErasureResult;
    expect(result).toMatchObject({ recordId: SUBJECT, notesErased: 2, complete: true });
    expect(result.noteDigests).toHaveLength(2);
    // The text is gone from the org's notes and was never in the chain.
    expect(fake.notes.map((n) => n.recordId)).toEqual([OTHER]);
    const exported = JSON.stringify(fake.events);
    expect(exported).not.toContain('Jane Doe');
    expect(exported).not.toContain('John Smith');
    // The chain verifies, now one event longer, and reports the erasure.
    const after = verify();
    expect(after.intact).toBe(true);
    expect(after.firstBreak).toBeNull();
    expect(after.events).toBe(before.events + 1);
    expect(after.erasures).toEqual([fake.events.length]);
    const erasure = fake.events[fake.events.length - 1]!;
    expect(erasure).toMatchObject({
      eventType: 'Erasure',
      recordId: SUBJECT,
      eventKey: result.eventKey
    });
    expect(JSON.parse(erasure.payload)).toMatchObject({ noteDigests: result.noteDigests });
  });

  it('verifies from the Bulk API export of the org, as sdg audit --target-org reads it', async () => {
    review(SUBJECT, '00112233445566778899aabbccddeeff', REASON);
    await erase({ record: SUBJECT });
    const rows: { fields: Record<string, unknown>; where: string }[] = [];
    // As the org audit reads the chain: Bulk API 2.0, CSV values.
    for await (const row of fakeApi(fake, 'fake').bulkQuery(
      'SELECT Sequence__c, Previous_Hash__c, Occurred_At__c, Event_Type__c, Record_Id__c, Object_Type__c, Acting_User__c, Decision__c, Reason_Codes__c, Event_Key__c, Payload__c, Hash__c, Signature__c FROM Synthetic_Audit_Event__c ORDER BY Sequence__c'
    ))
      rows.push(row);
    const verifier = new ChainVerifier();
    rows.forEach((row) => verifier.push(toEvent(row.fields, row.where)));
    expect(verifier.finish()).toMatchObject({ intact: true, events: 2, erasures: [2] });
    expect(JSON.stringify(rows)).not.toContain('Jane Doe');
  });

  it('appends nothing when nothing is kept beside the record', async () => {
    const { code, out } = await erase({ record: SUBJECT, json: false });
    expect(code).toBe(ERASE_EXIT.DONE);
    expect(out).toContain('Nothing of 00Q000000000001AAA is kept');
    expect(fake.events).toHaveLength(0);
  });

  it('says which permission set to assign when the user lacks Administer_Synthetic_Policy (exit 2)', async () => {
    review(SUBJECT, '00112233445566778899aabbccddeeff', REASON);
    fake.faults.noErasurePermission = true;
    const { code, err } = await erase({ record: SUBJECT });
    expect(code).toBe(ERASE_EXIT.ERROR);
    expect(err).toContain('Synthetic_Data_Admin');
    expect(err).not.toMatch(/\n\s+at /);
    expect(fake.notes).toHaveLength(1);
  });

  it('refuses an argument that is not a record Id before connecting (exit 2)', async () => {
    const { code, err } = await erase({ record: 'jane@example.com' });
    expect(code).toBe(ERASE_EXIT.ERROR);
    expect(err).toContain('is not a record Id');
    expect(fake.requests).toHaveLength(0);
  });

  it('is wired into the CLI with --target-org and --record required', async () => {
    const { io, err } = captureIo();
    const code = await runCli(['erase', '--record', SUBJECT], io);
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('--target-org');
  });

  it('exits 1 and says to run it again when the org erased only part of what it keeps', async () => {
    const partial: ErasureResult = {
      recordId: SUBJECT,
      notesErased: 2000,
      backupsCleared: 0,
      detectionsCleared: 0,
      noteDigests: [],
      complete: false,
      eventKey: 'a'.repeat(64)
    };
    const api = { json: () => Promise.resolve(partial) } as unknown as SalesforceApi;
    const { io, out } = captureIo();
    const code = await runErase({ targetOrg: 'prod', record: SUBJECT }, io, () =>
      Promise.resolve(api)
    );
    expect(code).toBe(ERASE_EXIT.INCOMPLETE);
    expect(out.join('\n')).toContain('More remains: run the same command again.');
  });

  it('says which notes the Recycle Bin kept when the org could not empty them (exit 1)', async () => {
    const stuck: ErasureResult = {
      recordId: SUBJECT,
      notesErased: 2,
      backupsCleared: 0,
      detectionsCleared: 0,
      noteDigests: [],
      complete: false,
      eventKey: 'b'.repeat(64),
      recycleBinErrors: ['insufficient access rights on object id']
    };
    const api = { json: () => Promise.resolve(stuck) } as unknown as SalesforceApi;
    const { io, out } = captureIo();
    const code = await runErase({ targetOrg: 'prod', record: SUBJECT }, io, () =>
      Promise.resolve(api)
    );
    expect(code).toBe(ERASE_EXIT.INCOMPLETE);
    expect(out.join('\n')).toContain(
      '1 note(s) were deleted but not emptied from the Recycle Bin (insufficient access rights on object id)'
    );
  });
});

describe('explainEraseError', () => {
  it('asks to deploy when the org has no erasures endpoint', () => {
    const error = new OrgApiError('Could not find a match for URL', 'NOT_FOUND', 404);
    expect(explainEraseError(error, 'prod')).toContain('sdg deploy --target-org prod');
  });

  it('says nothing was erased when the Erasure event was refused', () => {
    const error = new OrgApiError('Hourly limit', 'ERASURE_NOT_AUDITED', 503);
    expect(explainEraseError(error, 'prod')).toContain('Nothing was erased in prod');
  });

  it('falls back to the common org advice', () => {
    const error = new OrgApiError('Session expired', 'INVALID_SESSION_ID', 401);
    expect(explainEraseError(error, 'prod')).toContain('Log in again');
  });
});
