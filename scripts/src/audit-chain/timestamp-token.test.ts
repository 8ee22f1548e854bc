import * as pkijs from 'pkijs';
import { generateTimestampVectors, loadTimestampVectors } from './timestamp-vectors';
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

describe('shared timestamp vectors (TimestampVectors, read by the Apex test)', () => {
  const vectors = loadTimestampVectors();

  it('builds the same DER request as the Apex encoder is held to', () => {
    const request = buildTimestampRequest(
      checkpointImprint(vectors.checkpoint),
      Buffer.from(vectors.nonceHex, 'hex')
    );
    expect(request.toString('base64')).toBe(vectors.requestBase64);
    expect(checkpointBytes(vectors.checkpoint).toString('utf8')).toBe(vectors.checkpoint.message);
  });

  it('holds a granted token that verifies against the vector root, and its response', async () => {
    expect(tokenOf(Buffer.from(vectors.granted.responseBase64, 'base64')).toString('base64')).toBe(
      vectors.granted.tokenBase64
    );
    const check = await verifyTimestampToken(
      vectors.granted.tokenBase64,
      checkpointBytes(vectors.checkpoint),
      parsePemCertificates(vectors.trustRootPem)
    );
    expect(check).toEqual({ valid: true, genTime: vectors.granted.genTime });
  });

  it('holds a rejection without a token', () => {
    const rejected = pkijs.TimeStampResp.fromBER(
      new Uint8Array(Buffer.from(vectors.rejected.responseBase64, 'base64'))
    );
    expect(rejected.status.status).toBe(vectors.rejected.status);
    expect(rejected.timeStampToken).toBeUndefined();
  });
});

describe('timestamp vector generation', () => {
  it('makes vectors that hold together: the request is the committed one, the token verifies', async () => {
    const fresh = await generateTimestampVectors();
    expect(fresh.requestBase64).toBe(loadTimestampVectors().requestBase64);
    const check = await verifyTimestampToken(
      fresh.granted.tokenBase64,
      checkpointBytes(fresh.checkpoint),
      parsePemCertificates(fresh.trustRootPem)
    );
    expect(check.valid).toBe(true);
    expect(fresh.rejected.status).toBe(2);
  });
});
