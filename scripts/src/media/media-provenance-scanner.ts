import fs from 'node:fs';
import { BufferSource, ByteSource, FileSource, MalformedMediaError } from './byte-source';
import { ContainerFindings, walkBmff, walkJpeg, walkPng } from './containers';
import { walkGif, walkJxl, walkMp3, walkRiff, walkSvg, walkTiff } from './more-containers';
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
   * Answer as the in-org twin does: PDF objects walked in file order without the cross-reference
   * data (MediaPdf), only the in-org formats; the vectors state its answer where it differs.
   */
  inOrg?: boolean;
}

const JXL_CONTAINER = Buffer.from('0000000c4a584c200d0a870a', 'hex');

function detectFormat(src: ByteSource): [string, Walker] | undefined {
  if (src.size < 12) return undefined;
  const head = src.read(0, 12);
  const text = head.toString('latin1');
  if (head[0] === 0xff && head[1] === 0xd8) return ['jpeg', walkJpeg];
  if (head.subarray(0, 8).equals(PNG_SIGNATURE)) return ['png', walkPng];
  if (text.startsWith('RIFF')) return ['riff', walkRiff];
  if (text.slice(4, 8) === 'ftyp') return ['bmff', walkBmff];
  if (text.startsWith('%PDF-')) return ['pdf', walkPdf];
  if (/^GIF8[79]a/.test(text)) return ['gif', walkGif];
  if (text.startsWith('II*\0') || text.startsWith('MM\0*')) return ['tiff', walkTiff];
  if (head.equals(JXL_CONTAINER) || (head[0] === 0xff && head[1] === 0x0a)) return ['jxl', walkJxl];
  if (text.startsWith('ID3') || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0))
    return ['mp3', walkMp3];
  const start = src
    .read(0, Math.min(src.size, 4096))
    .toString('utf8')
    .replace(/^\ufeff/, '');
  if (/^\s*<(\?xml|svg|!DOCTYPE svg|!--)/.test(start) && /<svg[\s>]/.test(start))
    return ['svg', walkSvg];
  return undefined;
}

const isWebp = (src: ByteSource) => src.read(8, 4).toString('latin1') === 'WEBP';

/** The formats the in-org twin (MediaProvenanceScanner) reads; the rest are sdg scan's alone. */
export const IN_ORG_FORMATS = new Set(['jpeg', 'png', 'webp', 'bmff', 'pdf']);

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
      result.notes.push(
        'not a format C2PA defines an embedding for (JPEG, PNG, WebP, GIF, TIFF/DNG, SVG, HEIC/HEIF/AVIF, MP4/MOV/M4A, AVI, WAV, MP3, JPEG XL, PDF)'
      );
      return result;
    }
    const [format, detectedWalk] = detected;
    const walk = format === 'pdf' && options.inOrg ? walkPdfInOrder : detectedWalk;
    if (options.inOrg && !IN_ORG_FORMATS.has(format) && !(format === 'riff' && isWebp(src))) {
      result.format = 'unknown';
      result.verdict = 'unsupported';
      result.notes.push(`${format} is scanned by sdg scan, not in the org`);
      return result;
    }
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
      result.notes.push(`${found.unreadableManifest}: hand the file to sdg scan --verify`);
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
    // What the scan could not read goes to review: the policy's reason, as for AI markers.
    if (result.verdict === 'unreadable') result.reasons.push('UNREADABLE_MEDIA_PROVENANCE');
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
