import fs from 'node:fs';
import path from 'node:path';
import { testStaticResources } from '../project-root';
import { createLocalTsa, tokenOf } from './local-tsa';
import { buildTimestampRequest, checkpointBytes, checkpointImprint } from './timestamp-token';

/**
 * The shared RFC 3161 vectors (static resource TimestampVectors): a checkpoint, the DER request
 * both engines must build for it with a fixed nonce, and a granted and a rejected response from
 * the local TSA. The Apex test's HttpCalloutMock answers with these bytes.
 */
export interface TimestampVectors {
  checkpoint: { sequence: number; head: string; message: string; imprintHex: string };
  nonceHex: string;
  requestBase64: string;
  granted: { responseBase64: string; tokenBase64: string; genTime: string };
  rejected: { responseBase64: string; status: number };
  trustRootPem: string;
}

/** Path of the vectors, shared with the Apex test. */
export const TIMESTAMP_VECTORS_PATH = path.join(
  testStaticResources('audit-trail'),
  'TimestampVectors.json'
);

/** Reads the shared timestamp vectors. */
export function loadTimestampVectors(): TimestampVectors {
  return JSON.parse(fs.readFileSync(TIMESTAMP_VECTORS_PATH, 'utf8')) as TimestampVectors;
}

/** Makes new vectors with a fresh local TSA (its keys are thrown away: only the root is kept). */
export async function generateTimestampVectors(): Promise<TimestampVectors> {
  const checkpoint = { sequence: 1000, head: 'ab'.repeat(32) };
  // The first byte below 0x80 keeps the INTEGER positive without a leading zero (as Apex builds it).
  const nonceHex = '1f2e3d4c5b6a7988';
  const request = buildTimestampRequest(
    checkpointImprint(checkpoint),
    Buffer.from(nonceHex, 'hex')
  );
  const tsa = await createLocalTsa('SDG Vector Root');
  const genTime = new Date('2026-06-01T10:00:00Z');
  const response = await tsa.respond(request, genTime);
  return {
    checkpoint: {
      ...checkpoint,
      message: checkpointBytes(checkpoint).toString('utf8'),
      imprintHex: checkpointImprint(checkpoint).toString('hex')
    },
    nonceHex,
    requestBase64: request.toString('base64'),
    granted: {
      responseBase64: response.toString('base64'),
      tokenBase64: tokenOf(response).toString('base64'),
      genTime: genTime.toISOString()
    },
    rejected: { responseBase64: tsa.reject().toString('base64'), status: 2 },
    trustRootPem: tsa.rootPem
  };
}

/* istanbul ignore next -- writes the committed vectors: `npx tsx scripts/src/audit-chain/timestamp-vectors.ts` */
if (require.main === module) {
  void generateTimestampVectors().then((vectors) =>
    fs.writeFileSync(TIMESTAMP_VECTORS_PATH, `${JSON.stringify(vectors, null, 2)}\n`)
  );
}
