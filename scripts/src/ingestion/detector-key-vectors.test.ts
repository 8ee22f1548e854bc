import crypto from 'node:crypto';
import { loadIngestionVectors } from './ingestion-vectors';

// The Apex verifier (DetectionSignature.verifyWithKey, Crypto.verify) runs the same vectors in
// DetectionKeyTest; here Node's crypto, an independent implementation, holds them to the scheme.
const TAGS = { 'RSA-SHA256': 'rsa-sha256', 'ECDSA-SHA256': 'ecdsa-sha256' } as const;

function verifies(v: ReturnType<typeof loadIngestionVectors>['keySignatures'][number]): boolean {
  const der = Buffer.from(
    v.publicKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, ''),
    'base64'
  );
  const key = crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
  const message = Buffer.from(`${v.id}.${v.timestamp}.${v.body}`, 'utf8');
  return v.signature
    .split(' ')
    .filter((entry) => entry.startsWith(`${TAGS[v.algorithm]},`))
    .some((entry) =>
      crypto.verify(
        'sha256',
        message,
        key,
        Buffer.from(entry.slice(entry.indexOf(',') + 1), 'base64')
      )
    );
}

describe('detector public-key signature vectors agree with Node crypto', () => {
  const vectors = loadIngestionVectors().keySignatures;

  it.each(
    vectors
      .filter((v) => v.expected === 'VALID' || v.expected === 'BAD_SIGNATURE')
      .map((v) => [v.name, v] as const)
  )('%s', (_name, v) => {
    expect(verifies(v)).toBe(v.expected === 'VALID');
  });

  it('covers every verdict and both algorithms', () => {
    expect([...new Set(vectors.map((v) => v.expected))].sort()).toEqual([
      'BAD_SIGNATURE',
      'MISSING_HEADERS',
      'STALE_TIMESTAMP',
      'VALID'
    ]);
    expect(new Set(vectors.filter((v) => v.expected === 'VALID').map((v) => v.algorithm))).toEqual(
      new Set(['RSA-SHA256', 'ECDSA-SHA256'])
    );
  });
});
