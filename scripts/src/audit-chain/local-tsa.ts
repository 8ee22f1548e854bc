import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { TIMESTAMPING_EKU } from './timestamp-token';

/**
 * A timestamp authority in memory, for tests and the shared vectors: a self-signed root, a TSA
 * certificate it issues with the critical id-kp-timeStamping usage, and RFC 3161 responses
 * signed with that certificate. Not for production: keys live only as long as the process.
 */
export interface LocalTsa {
  root: pkijs.Certificate;
  tsa: pkijs.Certificate;
  /** The root as PEM, what `--tsa-trust` reads. */
  rootPem: string;
  /** Answers a DER TimeStampReq with a granted DER TimeStampResp. */
  respond(request: Buffer, genTime?: Date): Promise<Buffer>;
  /** A rejection response (status 2, failInfo badAlg). */
  reject(): Buffer;
}

const subtle = webcrypto.subtle;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

function name(commonName: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({
        type: '2.5.4.3',
        value: new asn1js.Utf8String({ value: commonName })
      })
    ]
  });
}

function extension(id: string, critical: boolean, value: { toSchema(): asn1js.BaseBlock }) {
  return new pkijs.Extension({
    extnID: id,
    critical,
    extnValue: value.toSchema().toBER(false),
    parsedValue: value
  });
}

async function certificate(
  subject: string,
  issuer: string,
  publicKey: webcrypto.CryptoKey,
  signingKey: webcrypto.CryptoKey,
  extensions: pkijs.Extension[]
): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: randomBytes(3).readUIntBE(0, 3) + 1 });
  cert.subject = name(subject);
  cert.issuer = name(issuer);
  cert.notBefore.value = new Date(Date.UTC(2020, 0, 1));
  cert.notAfter.value = new Date(Date.UTC(2045, 0, 1));
  cert.extensions = extensions;
  await cert.subjectPublicKeyInfo.importKey(publicKey);
  await cert.sign(signingKey, 'SHA-256');
  return cert;
}

/** PEM of a certificate. */
export function pemOf(cert: pkijs.Certificate): string {
  const base64 = Buffer.from(cert.toSchema().toBER(false)).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END CERTIFICATE-----\n`;
}

function granted(status: pkijs.PKIStatus): pkijs.PKIStatusInfo {
  return new pkijs.PKIStatusInfo({ status });
}

/** Creates a local TSA with fresh keys. */
export async function createLocalTsa(rootName = 'SDG Test Root'): Promise<LocalTsa> {
  const rootKeys = await subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const tsaKeys = await subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const root = await certificate(rootName, rootName, rootKeys.publicKey, rootKeys.privateKey, [
    extension('2.5.29.19', true, new pkijs.BasicConstraints({ cA: true }))
  ]);
  const tsa = await certificate('SDG Test TSA', rootName, tsaKeys.publicKey, rootKeys.privateKey, [
    extension('2.5.29.37', true, new pkijs.ExtKeyUsage({ keyPurposes: [TIMESTAMPING_EKU] }))
  ]);
  return {
    root,
    tsa,
    rootPem: pemOf(root),
    async respond(requestDer: Buffer, genTime = new Date()): Promise<Buffer> {
      const request = pkijs.TimeStampReq.fromBER(new Uint8Array(requestDer));
      const tstInfo = new pkijs.TSTInfo({
        version: 1,
        policy: '1.3.6.1.4.1.99999.1',
        messageImprint: request.messageImprint,
        serialNumber: new asn1js.Integer({ valueHex: new Uint8Array(randomBytes(8)) }),
        genTime,
        ...(request.nonce ? { nonce: request.nonce } : {})
      });
      const tstDer = tstInfo.toSchema().toBER(false);
      const digest = createHash('sha256').update(new Uint8Array(tstDer)).digest();
      const signed = new pkijs.SignedData({
        version: 3,
        encapContentInfo: new pkijs.EncapsulatedContentInfo({
          eContentType: '1.2.840.113549.1.9.16.1.4',
          eContent: new asn1js.OctetString({ valueHex: tstDer })
        }),
        signerInfos: [
          new pkijs.SignerInfo({
            version: 1,
            sid: new pkijs.IssuerAndSerialNumber({
              issuer: tsa.issuer,
              serialNumber: tsa.serialNumber
            }),
            signedAttrs: new pkijs.SignedAndUnsignedAttributes({
              type: 0,
              attributes: [
                new pkijs.Attribute({
                  type: '1.2.840.113549.1.9.3',
                  values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.9.16.1.4' })]
                }),
                new pkijs.Attribute({
                  type: '1.2.840.113549.1.9.4',
                  values: [new asn1js.OctetString({ valueHex: new Uint8Array(digest) })]
                })
              ]
            })
          })
        ],
        ...(request.certReq ? { certificates: [tsa] } : {})
      });
      await signed.sign(tsaKeys.privateKey, 0, 'SHA-256');
      const response = new pkijs.TimeStampResp({
        status: granted(pkijs.PKIStatus.granted),
        timeStampToken: new pkijs.ContentInfo({
          contentType: pkijs.ContentInfo.SIGNED_DATA,
          content: signed.toSchema(true)
        })
      });
      return Buffer.from(response.toSchema().toBER(false));
    },
    reject(): Buffer {
      const status = new pkijs.PKIStatusInfo({
        status: pkijs.PKIStatus.rejection,
        // failInfo bit 0, badAlg.
        failInfo: new asn1js.BitString({ valueHex: new Uint8Array([0x80]), unusedBits: 7 })
      });
      return Buffer.from(new pkijs.TimeStampResp({ status }).toSchema().toBER(false));
    }
  };
}

/** The token (DER ContentInfo) of a granted response: what the org stores, base64. */
export function tokenOf(response: Buffer): Buffer {
  const parsed = pkijs.TimeStampResp.fromBER(new Uint8Array(response));
  if (!parsed.timeStampToken) throw new Error('the response holds no token');
  return Buffer.from(parsed.timeStampToken.toSchema().toBER(false));
}
