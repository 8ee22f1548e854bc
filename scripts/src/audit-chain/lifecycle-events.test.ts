import { AUDIT_EVENT_TYPES } from '../provenance-model/schema';
import { payloadStatus, statusEntryValue, keepStatusEntry } from '../audit/status-entry';
import { AuditEvent, eventHash, GENESIS_HASH } from './canonical';
import { ChainVerifier } from './chain-verifier';

/**
 * Payloads as SyntheticAuditPublisher writes the lifecycle events (#29): canonical JSON with
 * sorted keys, `changes` after `bypass`, `links` after `generationMethod`; the Apex tests
 * (SyntheticConversionTest, SyntheticLifecycleTest) assert the same fragments.
 */
const HASH = 'a'.repeat(64);
const LIFECYCLE: Record<string, string> = {
  Converted:
    '{"aiModel":"openai/gpt-4o-2024-08-06","bypass":null,"contentHash":null,"decision":null,"eventType":"Converted","generatedAt":null,"generationMethod":null,"links":{"account":"001000000000001AAA","contact":"003000000000001AAA","opportunity":null},"objectType":"Lead","provenanceSource":null,"reasons":[],"recordId":"00Q000000000001AAA","status":"Disclosed","synthetic":true,"syntheticConfidence":null}',
  Merged:
    '{"aiModel":null,"bypass":null,"contentHash":null,"decision":"ACCEPT","eventType":"Merged","generatedAt":null,"generationMethod":null,"links":{"merged":["003000000000002AAA","003000000000003AAA"]},"objectType":"Contact","provenanceSource":null,"reasons":["MISSING_MODEL"],"recordId":"003000000000001AAA","status":"Quarantined","synthetic":true,"syntheticConfidence":null}',
  Deleted: `{"aiModel":null,"bypass":null,"contentHash":"${HASH}","decision":null,"eventType":"Deleted","generatedAt":null,"generationMethod":null,"objectType":"Case","provenanceSource":null,"reasons":[],"recordId":"500000000000001AAA","status":"Quarantined","synthetic":true,"syntheticConfidence":null}`,
  Undeleted: `{"aiModel":null,"bypass":null,"contentHash":"${HASH}","decision":null,"eventType":"Undeleted","generatedAt":null,"generationMethod":null,"objectType":"Case","provenanceSource":null,"reasons":[],"recordId":"500000000000001AAA","status":"Quarantined","synthetic":true,"syntheticConfidence":null}`,
  ContentEdited: `{"aiModel":null,"bypass":null,"changes":["Status"],"contentHash":"${HASH}","decision":null,"eventType":"ContentEdited","generatedAt":null,"generationMethod":null,"objectType":"Case","provenanceSource":null,"reasons":[],"recordId":"500000000000001AAA","status":"Flagged","synthetic":true,"syntheticConfidence":null}`
};

function chainOf(types: string[]): AuditEvent[] {
  let previousHash = GENESIS_HASH;
  return types.map((eventType, i) => {
    const fields = {
      sequence: i + 1,
      previousHash,
      occurredAt: new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString(),
      eventType,
      recordId: '500000000000001AAA',
      objectType: 'Case',
      actingUser: '005000000000001AAA',
      decision: '',
      reasonCodes: '',
      eventKey: `key-${i + 1}`,
      payload: LIFECYCLE[eventType] ?? '{}'
    };
    const hash = eventHash(fields);
    previousHash = hash;
    return { ...fields, hash, signature: '' };
  });
}

describe('lifecycle audit events (conversion, merge, delete, undelete, content edit)', () => {
  it('are event types both engines list', () => {
    expect(AUDIT_EVENT_TYPES).toEqual(expect.arrayContaining(Object.keys(LIFECYCLE)));
  });

  it('verify-chain accepts a chain of them and catches an edited digest', () => {
    const events = chainOf(Object.keys(LIFECYCLE));
    const verifier = new ChainVerifier({});
    events.forEach((e) => verifier.push(e));
    expect(verifier.finish()).toMatchObject({ intact: true, events: 5, firstBreak: null });

    const tampered = events.map((e) =>
      e.eventType === 'ContentEdited'
        ? { ...e, payload: e.payload.replace(HASH, 'b'.repeat(64)) }
        : e
    );
    const again = new ChainVerifier({});
    tampered.forEach((e) => again.push(e));
    expect(again.finish().firstBreak).toMatchObject({ sequence: 5 });
  });

  it('a content edit names the changed fields only: no value and no digest of one', () => {
    const payload = JSON.parse(LIFECYCLE.ContentEdited!) as { changes: unknown };
    expect(payload.changes).toEqual(['Status']);
  });

  it('audit reads the record status of each, never a changed field called Status', () => {
    expect(payloadStatus(LIFECYCLE.Converted!)).toBe('Disclosed');
    expect(payloadStatus(LIFECYCLE.Merged!)).toBe('Quarantined');
    expect(payloadStatus(LIFECYCLE.Deleted!)).toBe('Quarantined');
    expect(payloadStatus(LIFECYCLE.ContentEdited!)).toBe('Flagged');
  });

  it('an undelete keeps the time a record entered its status; a merge that raises it starts anew', () => {
    const [deleted, undeleted] = chainOf(['Deleted', 'Undeleted']);
    const kept = keepStatusEntry(statusEntryValue(deleted!), statusEntryValue(undeleted!));
    expect(kept).toBe(statusEntryValue(deleted!));
    const flagged = statusEntryValue({ ...deleted!, payload: LIFECYCLE.ContentEdited! });
    const merged = statusEntryValue({ ...undeleted!, payload: LIFECYCLE.Merged! });
    expect(keepStatusEntry(flagged, merged)).toBe(merged);
  });
});
