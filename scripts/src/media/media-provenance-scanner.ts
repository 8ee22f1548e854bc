import fs from 'node:fs';
import { BufferSource, ByteSource, FileSource, MalformedMediaError } from './byte-source';
import { ContainerFindings, walkBmff, walkJpeg, walkPng, walkWebp } from './containers';
import { ManifestFacts, manifestFacts } from './jumbf';
import { walkPdf, walkPdfInOrder } from './pdf';
import { xmpFacts } from './xmp';

/** IPTC digital source types that mean AI-generated or synthetic (as ProvenancePolicy has them). */
export const AI_SOURCE_TYPES = new Set([
  'trainedAlgorithmicMedia',
  'compositeWithTrainedAlgorithmicMedia',
  'algorithmicMedia',
  'compositeSynthetic'
]);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export type ManifestState = 'embedded' | 'stripped' | 'remote' | 'unreadable' | 'none';
export type MediaVerdict =
  | 'ai-generated'
  | 'provenance-stripped'
  | 'provenance-present'
  | 'remote-manifest'
  | 'no-marker'
  | 'unreadable'
  | 'unsupported'
  | 'malformed';

/** One file's scan: the shape `sdg scan --json` prints and the shared vectors hold. */
export interface MediaScanResult {
  format: string;
  manifest: ManifestState;
  digitalSourceType: string | null;
  generator: string | null;
  verdict: MediaVerdict;
  /** The policy reason codes this file contributes (MEDIA_AI_MARKER, MEDIA_PROVENANCE_STRIPPED). */
  reasons: string[];
  bytesRead: number;
  size: number;
  /** Why the file is malformed, or what the scan could not read. */
  notes: string[];
}

type Walker = (s: ByteSource) => ContainerFindings;

export interface ScanOptions {
  /**
   * Walk a PDF's objects in file order without its cross-reference data: what the in-org twin
   * (MediaPdf) does, so the vectors can state its answer where it differs.
   */
  pdfInOrder?: boolean;
}

function detectFormat(src: ByteSource): [string, Walker] | undefined {
  if (src.size < 12) return undefined;
  const head = src.read(0, 12);
  if (head[0] === 0xff && head[1] === 0xd8) return ['jpeg', walkJpeg];
  if (head.subarray(0, 8).equals(PNG_SIGNATURE)) return ['png', walkPng];
  if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP')
    return ['webp', walkWebp];
  if (head.toString('latin1', 4, 8) === 'ftyp') return ['bmff', walkBmff];
  if (head.toString('latin1', 0, 5) === '%PDF-') return ['pdf', walkPdf];
  return undefined;
}

/**
 * Finds the machine-readable provenance that standards define in one file and turns it into a
 * verdict: a C2PA manifest store in the container, the IPTC digital source type in its actions
 * or in XMP, and an XMP reference to a manifest that is no longer there (stripped). Reads only
 * container headers and metadata. "no-marker" is not proof of authenticity: honest generators
 * declare, dishonest pipelines strip, and a file with neither says nothing either way.
 * Its Apex twin (force-app/main/media: MediaProvenanceScanner) passes the same MediaScanVectors.
 */
export function scanMedia(src: ByteSource, options: ScanOptions = {}): MediaScanResult {
  const result: MediaScanResult = {
    format: 'unknown',
    manifest: 'none',
    digitalSourceType: null,
    generator: null,
    verdict: 'no-marker',
    reasons: [],
    bytesRead: 0,
    size: src.size,
    notes: []
  };
  try {
    const detected = detectFormat(src);
    if (!detected) {
      result.verdict = 'unsupported';
      result.notes.push('not a JPEG, PNG, WebP, ISO BMFF (MP4/MOV/HEIC/AVIF) or PDF file');
      return result;
    }
    const [format, detectedWalk] = detected;
    const walk = format === 'pdf' && options.pdfInOrder ? walkPdfInOrder : detectedWalk;
    result.format = format;
    const found = walk(src);
    result.format = found.format;
    result.notes.push(...found.notes);
    const xmp = found.xmp.map(xmpFacts);
    const provenance = xmp.find((x) => x.provenance)?.provenance;
    const facts = found.manifestStore ? readStore(found.manifestStore, found) : undefined;
    if (facts) {
      result.manifest = 'embedded';
      result.digitalSourceType = facts.digitalSourceType ?? null;
      result.generator = facts.generator ?? null;
      if (facts.digitalSourceTypeFrom === 'ingredient')
        result.notes.push('digital source type from an ingredient');
    } else if (found.unreadableManifest) {
      result.manifest = 'unreadable';
      result.notes.push(`${found.unreadableManifest}: hand the file to --verify`);
    } else if (provenance?.startsWith('self#jumbf=')) result.manifest = 'stripped';
    else if (provenance && /^https?:\/\//i.test(provenance)) result.manifest = 'remote';
    result.digitalSourceType ??= xmp.find((x) => x.digitalSourceType)?.digitalSourceType ?? null;
    const ai = result.digitalSourceType !== null && AI_SOURCE_TYPES.has(result.digitalSourceType);
    if (ai) result.reasons.push('MEDIA_AI_MARKER');
    if (result.manifest === 'stripped') result.reasons.push('MEDIA_PROVENANCE_STRIPPED');
    result.verdict = ai
      ? 'ai-generated'
      : result.manifest === 'stripped'
        ? 'provenance-stripped'
        : result.manifest === 'embedded'
          ? 'provenance-present'
          : result.manifest === 'remote'
            ? 'remote-manifest'
            : result.manifest === 'unreadable'
              ? 'unreadable'
              : 'no-marker';
  } catch (error) {
    if (!(error instanceof MalformedMediaError)) throw error;
    Object.assign(result, {
      manifest: 'none',
      digitalSourceType: null,
      generator: null,
      reasons: []
    });
    result.verdict = 'malformed';
    result.notes = [error.message];
  } finally {
    result.bytesRead = src.bytesRead;
  }
  return result;
}

// A manifest store the container holds but this reader cannot parse is there all the same:
// unreadable (review, and --verify asks c2pa-rs), never the container's fault nor "no marker".
function readStore(store: Buffer, found: ContainerFindings): ManifestFacts | undefined {
  try {
    return manifestFacts(store);
  } catch (error) {
    if (!(error instanceof MalformedMediaError)) throw error;
    found.unreadableManifest = `C2PA manifest store not parsed (${error.message})`;
    return undefined;
  }
}

/** Scans bytes in memory. */
export const scanBuffer = (bytes: Buffer, options: ScanOptions = {}): MediaScanResult =>
  scanMedia(new BufferSource(bytes), options);

/** Scans a file on disk, reading only the ranges the container walk asks for. */
export function scanFile(file: string): MediaScanResult {
  const fd = fs.openSync(file, 'r');
  try {
    return scanMedia(new FileSource(fd));
  } finally {
    fs.closeSync(fd);
  }
}
