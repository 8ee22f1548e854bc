import { createHash, createHmac } from 'node:crypto';
import {
  AuditEvent,
  checkpointMessage,
  eventHash,
  GENESIS_HASH,
  occurredAtToSecond
} from './canonical';

/**
 * Generates a valid chain the way the org's subscriber builds one: events of every type, with an
 * HMAC-signed checkpoint every `checkpointEvery` events. Used by tests, the mutation test, the
 * seed tool and benchmarks.
 */
export function* generateChain(
  count: number,
  hmacKey: Buffer,
  checkpointEvery = 1000
): Generator<AuditEvent> {
  let previousHash = GENESIS_HASH;
  const types = ['Decision', 'Quarantine', 'Reject', 'Release', 'Bypass'];
  const base = Date.parse('2026-06-01T00:00:00.000Z');
  for (let sequence = 1; sequence <= count; sequence++) {
    const checkpoint = sequence % checkpointEvery === 0;
    const eventType = checkpoint ? 'Checkpoint' : (types[sequence % types.length] ?? 'Decision');
    const payload = checkpoint
      ? JSON.stringify({
          algorithm: 'HMAC-SHA256',
          head: previousHash,
          keyId: 'test',
          sequence: sequence - 1
        })
      : JSON.stringify({
          decision: 'ACCEPT',
          reasons: [],
          recordId: `00Q${String(sequence).padStart(15, '0')}`,
          synthetic: sequence % 3 === 0
        });
    const fields = {
      sequence,
      previousHash,
      // As the org stores it: Datetime.now() has milliseconds, the Date/Time field keeps whole seconds.
      occurredAt: occurredAtToSecond(
        new Date(base + sequence * 1000 + (sequence % 1000)).toISOString()
      ),
      eventType,
      recordId: checkpoint ? '' : `00Q${String(sequence).padStart(15, '0')}`,
      objectType: checkpoint ? '' : 'Lead',
      actingUser: '005000000000001AAA',
      decision: checkpoint ? '' : 'ACCEPT',
      reasonCodes: '',
      eventKey: createHash('sha256').update(`generated|${sequence}`).digest('hex'),
      payload
    };
    const signature = checkpoint
      ? `HMAC-SHA256:${createHmac('sha256', hmacKey)
          .update(checkpointMessage(sequence - 1, previousHash))
          .digest('base64')}`
      : '';
    const event: AuditEvent = { ...fields, hash: eventHash(fields), signature };
    previousHash = event.hash;
    yield event;
  }
}
