import fs from 'node:fs';
import path from 'node:path';
import { testStaticResources } from '../project-root';

/** One event of the shared vector chain, as stored (field API names) plus its canonical encoding. */
export type VectorEvent = Record<string, string | number | null> & {
  canonical: string;
  Hash__c: string;
};

/** The shared audit-chain vectors (static resource AuditChainVectors). */
export interface AuditChainVectors {
  genesisHash: string;
  hmacKeyBase64: string;
  rsa: { certificatePem: string; privateKeyPkcs8Base64: string };
  head: string;
  events: VectorEvent[];
}

/** Path of the vectors, shared with the Apex test. */
export const AUDIT_CHAIN_VECTORS_PATH = path.join(
  testStaticResources('audit-trail'),
  'AuditChainVectors.json'
);

/** Reads the shared audit-chain vectors. */
export function loadAuditChainVectors(): AuditChainVectors {
  return JSON.parse(fs.readFileSync(AUDIT_CHAIN_VECTORS_PATH, 'utf8')) as AuditChainVectors;
}
