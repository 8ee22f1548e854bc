/**
 * One ContentVersion's bytes, streamed once from the REST API (sObject Blob Get:
 * `/sobjects/ContentVersion/<Id>/VersionData`) into a temporary file, hashed on the way (SHA-256
 * for the evidence, MD5 to match the version's Checksum): never the whole file in memory, so a
 * 2 GB video costs a 64 KB buffer. The scanner then reads bounded ranges of the temporary file.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { OrgApiError, SalesforceApi } from '../org/salesforce-api';

/** A downloaded version: where its bytes are, how many, and their digests. */
export interface DownloadedVersion {
  file: string;
  bytes: number;
  sha256: string;
  md5: string;
  /** Deletes the temporary file (and its folder). */
  remove(): void;
}

/** The REST path of a version's bytes. */
export const versionDataPath = (versionId: string): string =>
  `/sobjects/ContentVersion/${versionId}/VersionData`;

/**
 * Streams one version's bytes to a temporary file; throws OrgApiError for an API refusal, and
 * DOWNLOAD_INTERRUPTED when the stream broke off or brought other than `expectedBytes`.
 */
export async function downloadVersion(
  api: SalesforceApi,
  versionId: string,
  expectedBytes: number
): Promise<DownloadedVersion> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-scan-org-'));
  const remove = () => fs.rmSync(folder, { recursive: true, force: true });
  try {
    const response = await api.call('GET', versionDataPath(versionId));
    const file = path.join(folder, versionId);
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    let bytes = 0;
    const digest = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sha256.update(chunk);
        md5.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      }
    });
    const body = response.body
      ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)
      : Readable.from([]);
    try {
      await pipeline(body, digest, fs.createWriteStream(file));
    } catch (error) {
      const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw interrupted(versionId, `broke off after ${bytes} of ${expectedBytes} bytes (${cause})`);
    }
    if (bytes !== expectedBytes)
      throw interrupted(versionId, `brought ${bytes} bytes where ContentSize is ${expectedBytes}`);
    return { file, bytes, sha256: sha256.digest('hex'), md5: md5.digest('hex'), remove };
  } catch (error) {
    remove();
    throw error;
  }
}

const interrupted = (versionId: string, what: string) =>
  new OrgApiError(
    `The download of ContentVersion ${versionId} ${what}. Run the command again to resume.`,
    'DOWNLOAD_INTERRUPTED',
    0
  );
