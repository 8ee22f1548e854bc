import fs from 'node:fs';
import path from 'node:path';
import { testStaticResources } from '../project-root';
import type { MediaScanResult } from './media-provenance-scanner';

/** One change to a fixture's bytes, applied in order (the Apex test applies the same). */
export type MediaEdit =
  | { op: 'overwrite'; at: number; hex: string }
  | { op: 'insert'; at: number; hex: string }
  | { op: 'insertSlice'; at: number; from: string; start: number; length: number }
  | { op: 'truncate'; length: number };

/** The fields both scanners must agree on (bytes read and notes are each one's own). */
export type MediaExpectation = Pick<
  MediaScanResult,
  'format' | 'manifest' | 'digitalSourceType' | 'generator' | 'verdict' | 'reasons'
>;

/** The part of a scan result that both scanners must agree on. */
export const expectationOf = (r: MediaScanResult): MediaExpectation => ({
  format: r.format,
  manifest: r.manifest,
  digitalSourceType: r.digitalSourceType,
  generator: r.generator,
  verdict: r.verdict,
  reasons: r.reasons
});

/** One shared case: a fixture (a static resource, or bytes given in hex), edits, the answer. */
export interface MediaVector {
  name: string;
  description: string;
  resource?: string;
  hex?: string;
  edits?: MediaEdit[];
  expected: MediaExpectation;
  /**
   * The in-org answer where it differs: MediaPdf walks objects in file order and decodes no
   * Flate, so where only the cross-reference data can say, it answers unreadable (review).
   */
  apexExpected?: MediaExpectation;
  apexWhy?: string;
}

export interface MediaVectorFile {
  description: string;
  vectors: MediaVector[];
}

/** The fixtures folder: static resources, so the Apex test reads the very same files. */
export const MEDIA_FIXTURES = testStaticResources('media');
export const MEDIA_VECTORS_PATH = path.join(MEDIA_FIXTURES, 'MediaScanVectors.json');

/** The bytes of a fixture static resource, whatever its file extension. */
export function fixtureBytes(resource: string): Buffer {
  const file = fs
    .readdirSync(MEDIA_FIXTURES)
    .find((f) => f.startsWith(`${resource}.`) && !f.endsWith('-meta.xml'));
  if (!file) throw new Error(`No media fixture ${resource} in ${MEDIA_FIXTURES}`);
  return fs.readFileSync(path.join(MEDIA_FIXTURES, file));
}

/** A vector's input bytes: its fixture with its edits applied. */
export function vectorBytes(vector: Pick<MediaVector, 'resource' | 'hex' | 'edits'>): Buffer {
  let bytes = vector.resource
    ? Buffer.from(fixtureBytes(vector.resource))
    : Buffer.from(vector.hex ?? '', 'hex');
  for (const edit of vector.edits ?? []) {
    if (edit.op === 'truncate') bytes = bytes.subarray(0, edit.length);
    else if (edit.op === 'overwrite') Buffer.from(edit.hex, 'hex').copy(bytes, edit.at);
    else {
      const insert =
        edit.op === 'insert'
          ? Buffer.from(edit.hex, 'hex')
          : fixtureBytes(edit.from).subarray(edit.start, edit.start + edit.length);
      bytes = Buffer.concat([bytes.subarray(0, edit.at), insert, bytes.subarray(edit.at)]);
    }
  }
  return bytes;
}

export function loadMediaVectors(file = MEDIA_VECTORS_PATH): MediaVectorFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as MediaVectorFile;
}
