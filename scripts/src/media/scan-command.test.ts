import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureIo } from '../../test/capture-io';
import { runCli } from '../cli/program';
import { MediaScanResult, scanBuffer } from './media-provenance-scanner';
import { MediaVector, fixtureBytes, loadMediaVectors, vectorBytes } from './media-vectors';
import { referenceAnswer } from './scan-command';

describe('sdg scan', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-scan-cmd-'));
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.writeFileSync(path.join(dir, 'plain.jpg'), fixtureBytes('SdgMedia_Plain_Jpeg'));
    fs.writeFileSync(
      path.join(dir, 'nested', 'firefly.png'),
      fixtureBytes('SdgMedia_C2PA_Png_Firefly')
    );
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not media');
    fs.writeFileSync(path.join(dir, 'plain.jpg-meta.xml'), '<ContentAsset/>');
    // C.jpg with one byte of its image data changed after signing.
    const tampered = Buffer.from(fixtureBytes('SdgMedia_C2PA_Jpeg'));
    const at = tampered.length - 100;
    tampered[at] = (tampered[at] ?? 0) ^ 0xff;
    fs.mkdirSync(path.join(dir, 'tampered'));
    fs.writeFileSync(path.join(dir, 'tampered', 'C.jpg'), tampered);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('scans a folder recursively, says what it found in words, and exits 1 when a file is flagged', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['scan', dir], io)).toBe(1);
    const text = out.join('\n');
    expect(text).toContain(`⚠ AI-generated  ${path.join(dir, 'nested', 'firefly.png')}`);
    expect(text).toContain('source type trainedAlgorithmicMedia · generator "Adobe_Firefly"');
    expect(text).toContain(`• no marker  ${path.join(dir, 'plain.jpg')}`);
    expect(text).toContain(`• not scanned  ${path.join(dir, 'notes.txt')}`);
    // notes.txt is listed but not counted as scanned; the -meta.xml is skipped without a word.
    expect(text).toContain(
      '3 file(s) scanned, 1 not media (not scanned), 2 flagged. No marker is not proof of authenticity'
    );
    expect(text).not.toContain('-meta.xml');
  });

  it('exits 2 for a non-media file named on the command line', async () => {
    const { io, err } = captureIo();
    expect(
      await runCli(['scan', path.join(dir, 'notes.txt'), path.join(dir, 'plain.jpg')], io)
    ).toBe(2);
    expect(err.join('\n')).toContain(`${path.join(dir, 'notes.txt')}: not a media file`);
  });

  it('prints one JSON result per file and exits 0 when nothing is flagged', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['scan', '--json', path.join(dir, 'plain.jpg')], io)).toBe(0);
    const results = JSON.parse(out.join('\n')) as {
      file: string;
      verdict: string;
      bytesRead: number;
    }[];
    expect(results).toEqual([
      expect.objectContaining({
        file: path.join(dir, 'plain.jpg'),
        format: 'jpeg',
        manifest: 'none',
        verdict: 'no-marker'
      })
    ]);
  });

  it('exits 2 with advice for a path that does not exist', async () => {
    const { io, err } = captureIo();
    expect(await runCli(['scan', path.join(dir, 'missing.png')], io)).toBe(2);
    expect(err.join('\n')).toMatch(/no such file or folder/);
  });

  // @contentauth/c2pa-wasm is an ES module, which jest 29 cannot load: run the real CLI.
  it('--verify validates the manifest with the C2PA reference implementation', () => {
    const run = spawnSync(
      process.execPath,
      [
        path.resolve(__dirname, '..', '..', 'bin', 'sdg.cjs'),
        'scan',
        '--verify',
        '--json',
        path.join(dir, 'nested')
      ],
      { encoding: 'utf8' }
    );
    expect(run.status).toBe(1);
    const [result] = JSON.parse(run.stdout) as {
      verification: { state: string; codes: string[] };
    }[];
    // The signature and hashes check out; the test signer is on no trust list here.
    expect(result?.verification).toEqual({
      state: 'Valid',
      codes: ['signingCredential.untrusted'],
      digitalSourceType: 'trainedAlgorithmicMedia',
      generator: 'Adobe_Firefly'
    });
  });

  it('--verify hands every unreadable C2PA reference to c2pa-rs, whose answer wins', () => {
    const unread = path.join(dir, 'unreadable');
    fs.mkdirSync(unread);
    const { vectors } = loadMediaVectors();
    for (const name of ['jumbf-bad-superbox', 'pdf-af-missing-embedded-file']) {
      const vector = vectors.find((v) => v.name === name);
      fs.writeFileSync(path.join(unread, name), vectorBytes(vector as MediaVector));
    }
    const run = spawnSync(
      process.execPath,
      [path.resolve(__dirname, '..', '..', 'bin', 'sdg.cjs'), 'scan', '--verify', '--json', unread],
      { encoding: 'utf8' }
    );
    const [jpeg, pdf] = JSON.parse(run.stdout) as (MediaScanResult & {
      verification: { state: string };
    })[];
    // The JUMBF box this reader refuses is one c2pa-rs skips: it reads the store, so AI it is.
    expect(jpeg).toMatchObject({ verdict: 'ai-generated', manifest: 'embedded' });
    expect(jpeg?.verification.state).toBe('Valid');
    // Neither reader can follow a file specification to a missing object: it stays in review.
    expect(pdf).toMatchObject({ verdict: 'unreadable', verification: { state: 'error' } });
  });

  it('takes the reference answer: no manifest where the fast path could not read one', () => {
    const fast = scanBuffer(
      vectorBytes(
        loadMediaVectors().vectors.find((v) => v.name === 'pdf-c2pa-undecodable') as MediaVector
      )
    );
    expect(fast.verdict).toBe('unreadable');
    expect(referenceAnswer(fast, { state: 'none', codes: [] })).toMatchObject({
      verdict: 'no-marker',
      manifest: 'none'
    });
    expect(referenceAnswer(fast, { state: 'error', codes: [] })).toEqual({});
    expect(
      referenceAnswer(fast, { state: 'Valid', codes: [], digitalSourceType: 'digitalCapture' })
    ).toMatchObject({ verdict: 'provenance-present', manifest: 'embedded' });
  });
});
