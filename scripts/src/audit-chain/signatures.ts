import { createHmac, createPublicKey, KeyObject, timingSafeEqual, verify } from 'node:crypto';
import fs from 'node:fs';
import { checkpointMessage } from './canonical';
import { ExportFormatError } from './export-reader';

/** Checkpoint payload (`Payload__c` of a Checkpoint event). */
export interface CheckpointPayload {
  algorithm: 'RSA-SHA256' | 'HMAC-SHA256' | 'NONE';
  head: string;
  keyId: string;
  sequence: number;
}

/** What the verifier holds: the public certificate, the HMAC key, or neither. */
export interface VerificationKeys {
  certificate?: KeyObject;
  hmacKey?: Buffer;
}

/** Outcome of checking one checkpoint signature. */
export type SignatureCheck = 'valid' | 'invalid' | 'unsigned' | 'unchecked';

/** Reads a PEM certificate (or public key) for RSA checkpoint verification. */
export function loadCertificate(pem: string): KeyObject {
  return createPublicKey(pem);
}

/** Reads an HMAC key file: base64 (the form the org's setting stores), or raw bytes otherwise. */
export function loadHmacKey(contents: Buffer): Buffer {
  const text = contents.toString('utf8').trim();
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0
    ? Buffer.from(text, 'base64')
    : contents;
}

/** Parses a checkpoint payload; undefined when it is not one. */
export function parseCheckpoint(payload: string): CheckpointPayload | undefined {
  try {
    const parsed = JSON.parse(payload) as Partial<CheckpointPayload>;
    if (
      typeof parsed.head !== 'string' ||
      typeof parsed.sequence !== 'number' ||
      typeof parsed.algorithm !== 'string'
    ) {
      return undefined;
    }
    return parsed as CheckpointPayload;
  } catch {
    return undefined;
  }
}

/**
 * Checks a checkpoint's `Signature__c` (`<algorithm>:<base64>`) over the head it attests.
 * `unchecked` when the verifier was not given the key that algorithm needs.
 */
export function checkSignature(
  checkpoint: CheckpointPayload,
  signature: string,
  keys: VerificationKeys
): SignatureCheck {
  if (checkpoint.algorithm === 'NONE' || signature === '')
    return checkpoint.algorithm === 'NONE' ? 'unsigned' : 'invalid';
  const separator = signature.indexOf(':');
  const algorithm = signature.slice(0, separator);
  const bytes = Buffer.from(signature.slice(separator + 1), 'base64');
  if (separator < 0 || algorithm !== checkpoint.algorithm) return 'invalid';
  const message = Buffer.from(checkpointMessage(checkpoint.sequence, checkpoint.head), 'utf8');
  if (algorithm === 'RSA-SHA256') {
    if (!keys.certificate) return 'unchecked';
    return verify('sha256', message, keys.certificate, bytes) ? 'valid' : 'invalid';
  }
  if (!keys.hmacKey) return 'unchecked';
  const expected = createHmac('sha256', keys.hmacKey).update(message).digest();
  return expected.length === bytes.length && timingSafeEqual(expected, bytes) ? 'valid' : 'invalid';
}

/** Loads the keys named on the command line (`--cert`, `--hmac-key-file`); a bad file is an input error naming it. */
export function loadVerificationKeys(files: {
  cert?: string;
  hmacKeyFile?: string;
}): VerificationKeys {
  const keys: VerificationKeys = {};
  if (files.cert) {
    try {
      keys.certificate = loadCertificate(fs.readFileSync(files.cert, 'utf8'));
    } catch (error) {
      throw new ExportFormatError(
        `${files.cert}: not a PEM certificate or public key (${(error as Error).message}).`
      );
    }
  }
  if (files.hmacKeyFile) {
    try {
      keys.hmacKey = loadHmacKey(fs.readFileSync(files.hmacKeyFile));
    } catch (error) {
      throw new ExportFormatError(
        `${files.hmacKeyFile}: cannot read the HMAC key (${(error as Error).message}).`
      );
    }
  }
  return keys;
}
