import fs from 'node:fs';
import path from 'node:path';
import { testStaticResources } from '../project-root';
import type { PolicySet } from '../policy/package-policy';
import type { Dictionary } from './structured-field';

/** An RFC 9651 dictionary and its parse (null: the field is invalid). */
export interface StructuredFieldVector {
  name: string;
  input: string;
  expected: Dictionary | null;
}

/** Header lines and what they declare. */
export interface DisclosureVector {
  name: string;
  headers: [string, string][];
  expected: {
    /** Malformed headers, in check order; when present, nothing else is compared. */
    errors: string[];
    declared?: Record<string, string | number | boolean>;
    aiDisclosed?: boolean;
    conflicts?: string[];
  };
}

/** A request to the ingestion endpoint and its answer. */
export interface PayloadVector {
  name: string;
  object: string;
  headers: [string, string][];
  /** The body as sent (a string, so malformed JSON can be a vector). */
  body: string;
  expected: {
    status: number;
    results: {
      status: number;
      decision: string;
      syntheticStatus: string | null;
      reasons: string[];
    }[];
    /** Request error codes, sorted (their order depends on JSON key order, which Apex does not keep). */
    errors: string[];
  };
}

/**
 * A signed detector callback (`webhook-id`, `webhook-timestamp`, body, `webhook-signature`) and
 * the verdict at `now` (Unix seconds), whichever way it is signed.
 */
interface SignedCallbackVector {
  name: string;
  description: string;
  id: string;
  timestamp: string;
  body: string;
  signature: string;
  now: number;
  expected: 'VALID' | 'MISSING_HEADERS' | 'STALE_TIMESTAMP' | 'BAD_SIGNATURE';
}

/** A detector callback signed per Standard Webhooks (HMAC with a shared secret). */
export interface SignatureVector extends SignedCallbackVector {
  secret: string;
}

/**
 * A detector callback signed with the vendor's private key, and the verdict with its public key
 * (Synthetic_Detector_Key__mdt): `webhook-signature` entries `rsa-sha256,<base64>` or
 * `ecdsa-sha256,<base64>` over `id.timestamp.body`. Made with openssl.
 */
export interface KeySignatureVector extends SignedCallbackVector {
  algorithm: 'RSA-SHA256' | 'ECDSA-SHA256';
  /** X.509 SubjectPublicKeyInfo, base64 DER or PEM. */
  publicKey: string;
}

export interface IngestionVectorFile {
  description: string;
  structuredFields: StructuredFieldVector[];
  disclosures: DisclosureVector[];
  payloadDefaults: { now: string; policy: PolicySet };
  payloads: PayloadVector[];
  signatures: SignatureVector[];
  keySignatures: KeySignatureVector[];
}

/** A static resource, so the Apex tests read the very same file. */
export const INGESTION_VECTORS_PATH = path.join(
  testStaticResources('ingestion'),
  'IngestionVectors.json'
);

export function loadIngestionVectors(file = INGESTION_VECTORS_PATH): IngestionVectorFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as IngestionVectorFile;
}
