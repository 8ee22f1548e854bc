import fs from 'node:fs';
import path from 'node:path';
import { CommandIo } from '../cli/io';
import { AI_SOURCE_TYPES, MediaScanResult, scanFile } from './media-provenance-scanner';
import { ManifestVerification, verifyManifest } from './media-verify';

export interface ScanCommandOptions {
  json?: boolean;
  verify?: boolean;
}

/** Exit codes of `sdg scan`. */
export const SCAN_EXIT = { CLEAN: 0, FLAGGED: 1, INPUT_ERROR: 2 } as const;

/** Verdicts that fail a CI gate: an AI marker, stripped provenance, a file that lies about its structure, or a C2PA reference nobody could read. */
const FLAGGED = new Set(['ai-generated', 'provenance-stripped', 'malformed', 'unreadable']);

type FileResult = MediaScanResult & { file: string; verification?: ManifestVerification };

// Files one by one as the directory walk finds them (sorted per folder, for stable reports), so
// a folder of any size is never listed in memory at once.
function* filesUnder(target: string): Generator<string> {
  if (!fs.statSync(target).isDirectory()) {
    yield target;
    return;
  }
  const entries = fs
    .readdirSync(target, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    // Salesforce source keeps a -meta.xml beside every file: metadata, never media, so skipped quietly.
    else if (entry.isFile() && !entry.name.startsWith('.') && !entry.name.endsWith('-meta.xml'))
      yield full;
  }
}

/**
 * The reference implementation's answer wins over the fast path's: when c2pa-rs read a manifest
 * store, its declaration decides; when it found none, so does that (XMP still counts); when it
 * failed too, the fast path's answer stands (unreadable goes to review).
 */
export function referenceAnswer(
  fast: MediaScanResult,
  verification: ManifestVerification
): Partial<MediaScanResult> {
  if (verification.state === 'error') return {};
  if (verification.state === 'none') {
    if (fast.manifest !== 'unreadable') return {};
    const ai = fast.digitalSourceType !== null && AI_SOURCE_TYPES.has(fast.digitalSourceType);
    return {
      manifest: 'none',
      verdict: ai ? 'ai-generated' : 'no-marker',
      reasons: ai ? ['MEDIA_AI_MARKER'] : [],
      notes: [...fast.notes, 'c2pa-rs found no manifest store']
    };
  }
  // A declaration either reader saw counts: the JSON view of c2pa-rs can leave fields out.
  const digitalSourceType = verification.digitalSourceType ?? fast.digitalSourceType ?? null;
  const ai = digitalSourceType !== null && AI_SOURCE_TYPES.has(digitalSourceType);
  const changed = fast.manifest !== 'embedded' || fast.digitalSourceType !== digitalSourceType;
  return {
    manifest: 'embedded',
    digitalSourceType,
    generator: fast.generator ?? verification.generator ?? null,
    verdict: ai ? 'ai-generated' : 'provenance-present',
    reasons: ai ? ['MEDIA_AI_MARKER'] : [],
    notes: changed ? [...fast.notes, 'verdict from c2pa-rs (--verify)'] : fast.notes
  };
}

const LABEL: Record<string, string> = {
  'ai-generated': '⚠ AI-generated',
  'provenance-stripped': '⚠ provenance stripped',
  'provenance-present': '✔ C2PA provenance',
  'remote-manifest': '• remote manifest',
  'no-marker': '• no marker',
  unreadable: '? C2PA reference not readable (review; --verify asks c2pa-rs)',
  unsupported: '• not scanned',
  malformed: '✖ malformed'
};

function describe(result: FileResult): string {
  const facts = [
    result.format,
    `manifest ${result.manifest}`,
    result.digitalSourceType && `source type ${result.digitalSourceType}`,
    result.generator && `generator "${result.generator}"`,
    result.verification &&
      `signature ${result.verification.state}${result.verification.codes.length ? ` (${result.verification.codes.join(', ')})` : ''}`,
    `${result.bytesRead.toLocaleString('en-US')} of ${result.size.toLocaleString('en-US')} bytes read`
  ].filter(Boolean);
  const notes = result.notes.length ? `\n    ${result.notes.join('; ')}` : '';
  return `${LABEL[result.verdict] ?? result.verdict}  ${result.file}\n    ${facts.join(' · ')}${notes}`;
}

/**
 * `sdg scan <file|dir>…`: the media provenance scanner over files on disk (exported files,
 * ContentVersion downloads). Exit 0 when nothing is flagged, 1 when a file is AI-generated,
 * stripped of its provenance or malformed, 2 when a path cannot be read.
 */
export async function runScan(
  targets: string[],
  options: ScanCommandOptions,
  io: CommandIo
): Promise<number> {
  for (const target of targets) {
    if (!fs.existsSync(target)) {
      io.err(`✖ ${target}: no such file or folder. Give the files or folders to scan.`);
      return SCAN_EXIT.INPUT_ERROR;
    }
  }
  let flagged = 0;
  let count = 0;
  let printed = 0;
  let skipped = 0;
  let unreadable = 0;
  if (options.json) io.out('[');
  for (const target of targets) {
    const named = !fs.statSync(target).isDirectory();
    for (const file of filesUnder(target)) {
      let result: FileResult;
      try {
        result = { file, ...scanFile(file) };
      } catch (error) {
        unreadable++;
        io.err(
          `✖ ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`
        );
        continue;
      }
      if (result.verdict === 'unsupported' && named) {
        // A file named on the command line that is not media is a mistake in the command.
        unreadable++;
        io.err(
          `✖ ${file}: not a media file sdg scan reads (JPEG, PNG, WebP, GIF, TIFF, SVG, MP4/MOV/HEIC/AVIF, AVI/WAV, MP3, JPEG XL, PDF). Give media files or a folder.`
        );
        continue;
      }
      if (options.verify && (result.manifest === 'embedded' || result.manifest === 'unreadable')) {
        result.verification = await verifyManifest(file, result.format);
        result = { ...result, ...referenceAnswer(result, result.verification) };
      }
      if (FLAGGED.has(result.verdict)) flagged++;
      if (options.json) io.out(`${printed > 0 ? ',' : ''}${JSON.stringify(result)}`);
      else io.out(describe(result));
      printed++;
      if (result.verdict === 'unsupported') skipped++;
      else count++;
    }
  }
  if (options.json) io.out(']');
  else
    io.out(
      `\n${count} file(s) scanned${skipped ? `, ${skipped} not media (not scanned)` : ''}, ${flagged} flagged. No marker is not proof of authenticity: it means the file declares nothing.`
    );
  if (unreadable > 0) return SCAN_EXIT.INPUT_ERROR;
  return flagged > 0 ? SCAN_EXIT.FLAGGED : SCAN_EXIT.CLEAN;
}
