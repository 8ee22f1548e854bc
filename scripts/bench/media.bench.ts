import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { AI_SOURCE_TYPES, MediaScanResult, scanFile } from '../src/media/media-provenance-scanner';
import { fixtureBytes, loadMediaVectors, vectorBytes } from '../src/media/media-vectors';
import type { ManifestVerification } from '../src/media/media-verify';
import type { BenchResult } from './policy.bench';

const PAYLOAD = 64 * 1024 * 1024;

// Large media made from the real fixtures: the metadata as published, then 64 MB of media
// payload (a PNG IDAT chunk, an MP4 mdat box, JPEG scan data). Written sparse, so the folder
// costs no disk; the scanner must not read the payload either way.
function largeFiles(dir: string, copies: number): string[] {
  const png = fixtureBytes('SdgMedia_C2PA_Png_Firefly');
  const iend = png.length - 12;
  const mp4 = fixtureBytes('SdgMedia_C2PA_Mp4');
  const jpeg = fixtureBytes('SdgMedia_C2PA_Jpeg');
  const files: string[] = [];
  for (let i = 0; i < copies; i++) {
    const idat = Buffer.alloc(8);
    idat.writeUInt32BE(PAYLOAD, 0);
    idat.write('IDAT', 4, 'latin1');
    files.push(
      write(
        path.join(dir, `firefly-${i}.png`),
        [png.subarray(0, iend), idat],
        PAYLOAD,
        Buffer.concat([Buffer.alloc(4), png.subarray(iend)])
      )
    );
    const mdat = Buffer.alloc(8);
    mdat.writeUInt32BE(PAYLOAD + 8, 0);
    mdat.write('mdat', 4, 'latin1');
    files.push(write(path.join(dir, `video-${i}.mp4`), [mp4, mdat], PAYLOAD, Buffer.alloc(0)));
    files.push(
      write(
        path.join(dir, `photo-${i}.jpg`),
        [jpeg.subarray(0, jpeg.length - 2)],
        PAYLOAD,
        Buffer.from([0xff, 0xd9])
      )
    );
  }
  return files;
}

function write(file: string, head: Buffer[], hole: number, tail: Buffer): string {
  const fd = fs.openSync(file, 'w');
  const start = Buffer.concat(head);
  fs.writeSync(fd, start, 0, start.length, 0);
  fs.ftruncateSync(fd, start.length + hole + tail.length);
  fs.writeSync(fd, tail, 0, tail.length, start.length + hole);
  fs.closeSync(fd);
  return file;
}

/** Files per second and bytes read per file over a folder of large media. */
export function benchMedia(copies: number): BenchResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-media-bench-'));
  try {
    const files = largeFiles(dir, copies);
    let bytesRead = 0;
    let size = 0;
    const start = process.hrtime.bigint();
    for (const file of files) {
      const result = scanFile(file);
      if (result.verdict === 'malformed') throw new Error(`${file}: ${result.notes.join('; ')}`);
      bytesRead += result.bytesRead;
      size += result.size;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return {
      name: `media scan, ${files.length} files of ~64 MB`,
      items: files.length,
      seconds,
      perSecond: Math.round(files.length / seconds),
      peakRssMb: Math.round(process.memoryUsage().rss / 1e6),
      notes: `${Math.round(bytesRead / files.length / 1024)} KB read per file of ${Math.round(size / files.length / 1e6)} MB (${((100 * bytesRead) / size).toFixed(3)}%)`
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const EXTENSION: Record<string, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  mp4: 'mp4',
  bmff: 'mp4',
  pdf: 'pdf',
  gif: 'gif',
  tiff: 'tif',
  wav: 'wav',
  avi: 'avi',
  svg: 'svg',
  mp3: 'mp3',
  jxl: 'jxl'
};

// Without a folder: the real fixtures and every shared vector of a known format, written with
// the extension c2pa-rs needs to pick its reader.
function vectorFolder(dir: string): string {
  for (const vector of loadMediaVectors().vectors) {
    const ext = EXTENSION[vector.expected.format];
    if (ext) fs.writeFileSync(path.join(dir, `${vector.name}.${ext}`), vectorBytes(vector));
  }
  return dir;
}

interface Timed<T> {
  seconds: number;
  lines: T[];
}

function timedRun<T>(args: string[]): Timed<T> {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.error) throw run.error;
  const lines = run.stdout
    .split('\n')
    .map((line) => line.replace(/^[[,]/, '').trim())
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as T);
  return { seconds, lines };
}

type Ours = MediaScanResult & { file: string };
type Theirs = ManifestVerification & { file: string };

/**
 * Agreement with the C2PA reference implementation and the speed ratio, over a folder (the
 * public c2pa-rs fixture suite, sdk/tests/fixtures, when it is at hand; offline, the shared
 * vectors). Both sides run as a process of their own, started the same way (tsx), so process
 * start counts on both. Measured: manifests seen where c2pa-rs reads one, AI declarations seen
 * where its manifest store declares one, and no AI claimed where none is declared.
 */
export function benchMediaAgreement(folder: string | undefined): BenchResult {
  const temp = folder ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-media-agree-'));
  const target = folder ?? vectorFolder(temp as string);
  try {
    const cli = path.join(__dirname, '..', 'bin', 'sdg.cjs');
    const ours = timedRun<Ours>([cli, 'scan', '--json', target]);
    const theirs = timedRun<Theirs>([
      '--require',
      'tsx/cjs',
      path.join(__dirname, 'c2pa-reference.ts'),
      target
    ]);
    const byFile = new Map(ours.lines.map((r) => [r.file, r]));
    const misses: string[] = [];
    let read = 0;
    let manifestsSeen = 0;
    let declared = 0;
    let aiSeen = 0;
    let falseAi = 0;
    for (const reference of theirs.lines) {
      const mine = byFile.get(reference.file);
      const name = path.relative(target, reference.file);
      const readsOne = reference.state !== 'none' && reference.state !== 'error';
      const refAi =
        readsOne &&
        !!reference.digitalSourceType &&
        AI_SOURCE_TYPES.has(reference.digitalSourceType);
      const myAi = mine?.reasons.includes('MEDIA_AI_MARKER') ?? false;
      if (readsOne) {
        read++;
        // Unreadable is not a miss that passes silently: it goes to review and to --verify.
        if (mine?.manifest === 'embedded' || mine?.manifest === 'unreadable') manifestsSeen++;
        else misses.push(`${name}: c2pa-rs reads a manifest, sdg scan says ${mine?.verdict}`);
      }
      if (refAi) {
        declared++;
        if (myAi) aiSeen++;
        else
          misses.push(
            `${name}: c2pa-rs reads ${reference.digitalSourceType}, sdg scan says ${mine?.verdict}`
          );
      } else if (readsOne && myAi && mine?.manifest === 'embedded') {
        falseAi++;
        misses.push(`${name}: sdg scan claims AI, the manifest store declares none`);
      }
    }
    for (const miss of misses.slice(0, 20)) console.log(`  disagreement: ${miss}`);
    return {
      name: `media vs c2pa-wasm, ${path.basename(target)}`,
      items: theirs.lines.length,
      seconds: ours.seconds,
      perSecond: Math.round(ours.lines.length / ours.seconds),
      peakRssMb: Math.round(process.memoryUsage().rss / 1e6),
      notes: `manifests ${manifestsSeen}/${read}, AI ${aiSeen}/${declared}, false AI ${falseAi}; sdg scan ${ours.seconds.toFixed(2)} s, c2pa-wasm ${theirs.seconds.toFixed(2)} s: ${(theirs.seconds / ours.seconds).toFixed(1)}x${folder ? '' : ' (shared vectors: pass the c2pa-rs fixture folder for the real measure)'}`
    };
  } finally {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }
}
