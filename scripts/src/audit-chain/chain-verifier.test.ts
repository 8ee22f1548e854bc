import { createHash, randomBytes } from 'node:crypto';
import { loadAuditChainVectors } from './audit-chain-vectors';
import { AuditEvent, eventHash } from './canonical';
import { generateChain } from './chain-generator';
import { BreakKind, ChainVerifier } from './chain-verifier';
import { toEvent } from './export-reader';
import { checkSignature, loadCertificate, loadHmacKey, parseCheckpoint } from './signatures';

const vectors = loadAuditChainVectors();
const vectorEvents = vectors.events.map((e) => toEvent(e, 'vectors'));
const hmacKey = loadHmacKey(Buffer.from(vectors.hmacKeyBase64));
const certificate = loadCertificate(vectors.rsa.certificatePem);

function verify(events: AuditEvent[], keys = { hmacKey, certificate }, expectHead?: string) {
  const verifier = new ChainVerifier(keys, expectHead);
  events.forEach((e) => verifier.push(e));
  return verifier.finish();
}

function rehash(event: AuditEvent): AuditEvent {
  return { ...event, hash: eventHash(event) };
}

describe('ChainVerifier on the shared vectors', () => {
  it('accepts the chain and verifies both signed checkpoints', () => {
    const report = verify(vectorEvents);
    expect(report).toMatchObject({ intact: true, events: 7, head: vectors.head, firstBreak: null });
    expect(report.checkpoints).toEqual({ total: 3, valid: 2, unsigned: 1, unchecked: 0 });
  });

  it('reports checkpoints it cannot check without keys, and an anchored head it finds', () => {
    const report = verify(vectorEvents, {} as never, vectors.head);
    expect(report.intact).toBe(true);
    expect(report.checkpoints).toEqual({ total: 3, valid: 0, unsigned: 1, unchecked: 2 });
  });

  it('rejects a checkpoint signed with another key', () => {
    const report = verify(vectorEvents, { hmacKey: Buffer.from('another key'), certificate });
    expect(report.firstBreak).toMatchObject({ sequence: 4, kind: 'signature' });
  });

  it('rejects a checkpoint that attests the wrong head, even with a valid hash', () => {
    const events = vectorEvents.map((e) => ({ ...e }));
    const checkpoint = events[3]!;
    checkpoint.payload = checkpoint.payload.replace(
      /"head":"[0-9a-f]+"/,
      `"head":"${'1'.repeat(64)}"`
    );
    const forged = [...events.slice(0, 3), rehash(checkpoint)];
    expect(verify(forged).firstBreak).toMatchObject({ sequence: 4, kind: 'signature' });
  });

  it('rejects a first event that does not start from the genesis hash', () => {
    const first = rehash({ ...vectorEvents[0]!, previousHash: 'f'.repeat(64) });
    expect(verify([first]).firstBreak).toMatchObject({ sequence: 1, kind: 'edited' });
  });

  it('accepts a chain whose start was removed by an attested retention purge, and nothing else', () => {
    const key = randomBytes(32);
    const chain = [...generateChain(20, key, 1000)];
    const purge = rehash({
      ...chain[19]!,
      sequence: 21,
      previousHash: chain[19]!.hash,
      eventType: 'Purge',
      payload: JSON.stringify({ purgedThrough: 10, purgedHead: chain[9]!.hash })
    });
    const kept = [...chain.slice(10), purge];
    expect(verify(kept, { hmacKey: key } as never)).toMatchObject({
      intact: true,
      purgedThrough: 10
    });
    expect(verify(chain.slice(10), { hmacKey: key } as never).firstBreak).toMatchObject({
      sequence: 1,
      kind: 'deleted'
    });
  });

  it('names the events of rolled-back save attempts and the events the org could not append', () => {
    const key = randomBytes(32);
    const chain = [...generateChain(5, key, 1000)];
    const rollback = rehash({
      ...chain[4]!,
      sequence: 6,
      previousHash: chain[4]!.hash,
      eventType: 'Rollback',
      payload: JSON.stringify({ attempt: 2, rolledBack: [chain[3]!.eventKey, chain[4]!.eventKey] })
    });
    const failure = rehash({
      ...rollback,
      sequence: 7,
      previousHash: rollback.hash,
      eventType: 'AppendFailure',
      payload: JSON.stringify({ error: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', eventKey: 'k' })
    });
    const garbled = rehash({
      ...failure,
      sequence: 8,
      previousHash: failure.hash,
      eventType: 'Rollback',
      payload: 'not json'
    });
    expect(verify([...chain, rollback, failure, garbled])).toMatchObject({
      intact: true,
      rolledBack: [chain[3]!.eventKey, chain[4]!.eventKey],
      appendFailures: [7]
    });
    expect(verify(chain)).toMatchObject({ rolledBack: [], appendFailures: [] });
  });

  it('handles an empty export', () => {
    expect(verify([])).toMatchObject({ intact: true, events: 0, head: null });
    expect(verify([], {} as never, vectors.head).firstBreak).toMatchObject({
      sequence: 1,
      kind: 'truncated'
    });
  });
});

describe('signatures', () => {
  it('parses only checkpoint payloads', () => {
    expect(parseCheckpoint('not json')).toBeUndefined();
    expect(parseCheckpoint('{"decision":"ACCEPT"}')).toBeUndefined();
  });

  it('refuses a signature whose algorithm differs from the payload, or a missing one', () => {
    const payload = {
      algorithm: 'HMAC-SHA256' as const,
      head: 'a'.repeat(64),
      keyId: 'k',
      sequence: 1
    };
    expect(checkSignature(payload, 'RSA-SHA256:AAAA', { hmacKey })).toBe('invalid');
    expect(checkSignature(payload, '', { hmacKey })).toBe('invalid');
    expect(checkSignature(payload, 'HMAC-SHA256:AAAA', { hmacKey })).toBe('invalid');
  });

  it('reads raw (non-base64) HMAC key files as bytes', () => {
    expect(loadHmacKey(Buffer.from('not base64!')).toString()).toBe('not base64!');
  });
});

describe('mutation test: every single-event tampering of a 10,000-event chain is detected and named', () => {
  const key = randomBytes(32);
  const chain = [...generateChain(10_000, key, 1000)];
  const head = chain[chain.length - 1]!.hash;
  const keys = { hmacKey: key } as never;

  // Verifies a mutated chain from just before position `from` (everything earlier is unchanged,
  // hence already verified), stopping at the first break.
  function firstBreak(mutated: AuditEvent[], from: number) {
    const start = Math.max(0, from - 2);
    const verifier = new ChainVerifier(keys, head, start > 0 ? mutated[start - 1] : undefined);
    for (let i = start; i < mutated.length && !verifier.broken; i++) verifier.push(mutated[i]!);
    return verifier.finish().firstBreak;
  }

  function expectAll(kind: BreakKind, cases: [number, AuditEvent[], number][]) {
    const misses = cases
      .map(([position, mutated, expectedSequence]) => ({
        position,
        found: firstBreak(mutated, position),
        expectedSequence
      }))
      .filter(
        ({ found, expectedSequence }) => found?.kind !== kind || found.sequence !== expectedSequence
      );
    expect(misses.slice(0, 5)).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(chain.length - 1);
  }

  it('detects the unmodified chain as intact', () => {
    const verifier = new ChainVerifier(keys, head);
    chain.forEach((e) => verifier.push(e));
    expect(verifier.finish()).toMatchObject({
      intact: true,
      events: 10_000,
      checkpoints: { total: 10, valid: 10 }
    });
  });

  it('edits', () => {
    expectAll(
      'edited',
      chain.map((event, i) => {
        const mutated = chain.slice();
        mutated[i] = { ...event, payload: `${event.payload} ` };
        return [i, mutated, event.sequence];
      })
    );
  });

  it('edits that re-hash the event (caught by the next link)', () => {
    expectAll(
      'edited',
      chain.slice(0, -1).map((event, i) => {
        const mutated = chain.slice();
        mutated[i] = rehash({ ...event, reasonCodes: 'FORGED' });
        return [i, mutated, event.sequence];
      })
    );
  });

  it('deletions', () => {
    expectAll(
      'deleted',
      chain.slice(0, -1).map((event, i) => {
        const mutated = chain.slice();
        mutated.splice(i, 1);
        return [i, mutated, event.sequence];
      })
    );
  });

  it('insertions of a self-consistent forged event', () => {
    expectAll(
      'inserted',
      chain.map((event, i) => {
        const forged = rehash({
          ...event,
          eventKey: createHash('sha256').update(`forged|${i}`).digest('hex'),
          payload: '{"decision":"ACCEPT","forged":true}',
          eventType: 'Decision',
          signature: ''
        });
        const mutated = chain.slice();
        mutated.splice(i, 0, forged);
        return [i, mutated, event.sequence];
      })
    );
  });

  it('swaps of neighbours', () => {
    expectAll(
      'reordered',
      chain.slice(0, -1).map((event, i) => {
        const mutated = chain.slice();
        mutated[i] = chain[i + 1]!;
        mutated[i + 1] = event;
        return [i, mutated, event.sequence];
      })
    );
  });

  it('truncations (against the anchored head)', () => {
    expectAll(
      'truncated',
      chain.map((_event, kept) => [kept, chain.slice(0, kept), kept + 1])
    );
  });
});
