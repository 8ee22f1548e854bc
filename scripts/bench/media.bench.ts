import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanFile } from '../src/media/media-provenance-scanner';
import { fixtureBytes } from '../src/media/media-vectors';
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
