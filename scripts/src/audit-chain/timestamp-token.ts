import { createHash, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { checkpointMessage } from './canonical';
import { ExportFormatError } from './export-format-error';
import type { CheckpointPayload } from './signatures';

/** OID of SHA-256, the hash of every imprint the org requests. */
export const SHA256_OID = '2.16.840.1.101.3.4.2.1';
/** id-kp-timeStamping: RFC 3161 §2.3 requires it, as the only (critical) extended key usage of a TSA. */
export const TIMESTAMPING_EKU = '1.3.6.1.5.5.7.3.8';
const EXTENDED_KEY_USAGE = '2.5.29.37';

// pkijs finds no engine in Jest's sandbox (no global crypto there): hand it Node's WebCrypto.
const engineParameters = { name: 'node', crypto: webcrypto } as unknown;
pkijs.setEngine('node', new pkijs.CryptoEngine(engineParameters as pkijs.CryptoEngineParameters));

/** The bytes a checkpoint attests and its token's imprint hashes: the checkpoint message. */
export function checkpointBytes(checkpoint: Pick<CheckpointPayload, 'sequence' | 'head'>): Buffer {
  return Buffer.from(checkpointMessage(checkpoint.sequence, checkpoint.head), 'utf8');
}

/** SHA-256 of the checkpoint message: the message imprint a token must carry. */
export function checkpointImprint(
  checkpoint: Pick<CheckpointPayload, 'sequence' | 'head'>
): Buffer {
  return createHash('sha256').update(checkpointBytes(checkpoint)).digest();
}

function bufferOf(view: ArrayBuffer | Uint8Array): Buffer {
  return view instanceof Uint8Array
    ? Buffer.from(view.buffer, view.byteOffset, view.byteLength)
    : Buffer.from(view);
}

/**
 * The RFC 3161 TimeStampReq the org sends (twin of Apex `TimestampRequest.build`): version 1, a
 * SHA-256 imprint (algorithm parameters NULL), the nonce, certReq true so the token carries the
 * TSA certificate an offline verifier needs.
 */
export function buildTimestampRequest(imprint: Buffer, nonce: Buffer): Buffer {
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: SHA256_OID,
        algorithmParams: new asn1js.Null()
      }),
      hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(imprint) })
    }),
    nonce: new asn1js.Integer({ valueHex: new Uint8Array(nonce) }),
    certReq: true
  });
  return bufferOf(request.toSchema().toBER(false));
}

/** Certificates of a PEM file (one or more `BEGIN CERTIFICATE` blocks). */
export function parsePemCertificates(pem: string): pkijs.Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    const body = block.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
    return pkijs.Certificate.fromBER(new Uint8Array(Buffer.from(body, 'base64')));
  });
}

/** Loads `--tsa-trust`: the root (or intermediate) certificates a TSA certificate must chain to. */
export function loadTsaTrust(file: string): pkijs.Certificate[] {
  let certificates: pkijs.Certificate[];
  try {
    certificates = parsePemCertificates(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ExportFormatError(
      `--tsa-trust ${file}: cannot read a PEM certificate (${(error as Error).message}).`
    );
  }
  if (certificates.length === 0)
    throw new ExportFormatError(
      `--tsa-trust ${file}: no "BEGIN CERTIFICATE" block; give the PEM of the timestamp authority's root certificate (the TSA publishes it).`
    );
  return certificates;
}

/** Outcome of checking one token against its checkpoint. */
export interface TokenCheck {
  valid: boolean;
  /** The TSA's time (TSTInfo genTime), ISO 8601, when the token could be read. */
  genTime?: string;
  /** Why the token does not attest the checkpoint. */
  detail?: string;
}

function invalid(detail: string, genTime?: string): TokenCheck {
  return genTime === undefined ? { valid: false, detail } : { valid: false, detail, genTime };
}

function signedDataOf(token: Buffer): { signed: pkijs.SignedData; tstInfo: pkijs.TSTInfo } {
  const content = pkijs.ContentInfo.fromBER(new Uint8Array(token));
  if (content.contentType !== pkijs.ContentInfo.SIGNED_DATA)
    throw new Error(`content type ${content.contentType} is not CMS SignedData`);
  const signed = new pkijs.SignedData({ schema: content.content });
  const eContent = signed.encapContentInfo.eContent;
  if (signed.encapContentInfo.eContentType !== '1.2.840.113549.1.9.16.1.4' || !eContent)
    throw new Error('the SignedData does not hold a TSTInfo');
  return { signed, tstInfo: pkijs.TSTInfo.fromBER(eContent.getValue()) };
}

function hasTimestampingUsage(certificate: pkijs.Certificate): boolean {
  const extension = certificate.extensions?.find((e) => e.extnID === EXTENDED_KEY_USAGE);
  const usage = extension?.parsedValue as pkijs.ExtKeyUsage | undefined;
  return usage?.keyPurposes.includes(TIMESTAMPING_EKU) === true;
}

/**
 * Verifies a timestamp token (base64 DER ContentInfo, as the org stores it) offline: the
 * message imprint is SHA-256 of the checkpoint message, the TSA signature is valid, the signer
 * certificate carries id-kp-timeStamping and chains (at genTime) to one of the trusted certificates.
 */
export async function verifyTimestampToken(
  tokenBase64: string,
  message: Buffer,
  trusted: pkijs.Certificate[]
): Promise<TokenCheck> {
  let parsed: ReturnType<typeof signedDataOf>;
  try {
    parsed = signedDataOf(Buffer.from(tokenBase64.trim(), 'base64'));
  } catch (error) {
    return invalid(`the token is not an RFC 3161 timestamp token (${(error as Error).message})`);
  }
  const { signed, tstInfo } = parsed;
  const genTime = tstInfo.genTime.toISOString();
  const imprint = tstInfo.messageImprint;
  const expected = createHash('sha256').update(message).digest();
  if (
    imprint.hashAlgorithm.algorithmId !== SHA256_OID ||
    !expected.equals(bufferOf(imprint.hashedMessage.valueBlock.valueHexView))
  )
    return invalid('its message imprint is not the SHA-256 of this checkpoint', genTime);
  try {
    const result = await signed.verify({
      signer: 0,
      data: new Uint8Array(message).buffer,
      trustedCerts: trusted,
      checkChain: true,
      extendedMode: true
    });
    if (!result.signatureVerified) return invalid("the TSA's signature does not verify", genTime);
    if (!result.signerCertificate || !hasTimestampingUsage(result.signerCertificate))
      return invalid('the signing certificate is not a timestamping certificate', genTime);
    return { valid: true, genTime };
  } catch (error) {
    const reason = (error as { message?: string }).message ?? String(error);
    return invalid(
      /certificate|chain|trust/i.test(reason)
        ? `the TSA certificate does not chain to --tsa-trust (${reason})`
        : reason,
      genTime
    );
  }
}
