import { createLocalTsa, LocalTsa, tokenOf } from './local-tsa';
import {
  buildTimestampRequest,
  checkpointBytes,
  checkpointImprint,
  parsePemCertificates,
  verifyTimestampToken
} from './timestamp-token';

const checkpoint = { sequence: 1000, head: 'a'.repeat(64) };
const nonce = Buffer.from('0102030405060708', 'hex');

describe('RFC 3161 timestamp tokens', () => {
  let tsa: LocalTsa;
  let token: string;
  beforeAll(async () => {
    tsa = await createLocalTsa();
    const response = await tsa.respond(
      buildTimestampRequest(checkpointImprint(checkpoint), nonce),
      new Date('2026-06-01T10:00:00Z')
    );
    token = tokenOf(response).toString('base64');
  });

  it('encodes the request as DER: version 1, SHA-256 imprint with NULL parameters, nonce, certReq', () => {
    const der = buildTimestampRequest(Buffer.alloc(32, 0xab), nonce).toString('hex');
    expect(der).toBe(
      '3043020101303130' +
        '0d060960864801650304020105000420' +
        'ab'.repeat(32) +
        '02080102030405060708' +
        '0101ff'
    );
  });

  it('verifies a token of the checkpoint from a TSA chaining to the trust file, reporting genTime', async () => {
    const check = await verifyTimestampToken(
      token,
      checkpointBytes(checkpoint),
      parsePemCertificates(tsa.rootPem)
    );
    expect(check).toEqual({ valid: true, genTime: '2026-06-01T10:00:00.000Z' });
  });

  it('refuses a token whose imprint is of another checkpoint', async () => {
    const other = checkpointBytes({ sequence: 2000, head: checkpoint.head });
    const check = await verifyTimestampToken(token, other, [tsa.root]);
    expect(check.valid).toBe(false);
    expect(check.detail).toMatch(/message imprint/);
  });

  it('refuses a token whose TSA does not chain to the trust file', async () => {
    const stranger = await createLocalTsa('Another Root');
    const check = await verifyTimestampToken(token, checkpointBytes(checkpoint), [stranger.root]);
    expect(check.valid).toBe(false);
    expect(check.detail).toMatch(/--tsa-trust/);
  });

  it('refuses bytes that are not a token', async () => {
    const check = await verifyTimestampToken('bm90IGEgdG9rZW4=', checkpointBytes(checkpoint), [
      tsa.root
    ]);
    expect(check.valid).toBe(false);
    expect(check.detail).toMatch(/not an RFC 3161 timestamp token/);
  });
});
