import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAuditChainVectors } from '../audit-chain/audit-chain-vectors';
import { COLUMNS } from '../audit-chain/export-reader';
import { CommandIo } from './io';
import { runCli } from './program';

const vectors = loadAuditChainVectors();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-cli-'));
const chainFile = path.join(dir, 'chain.json');
const certFile = path.join(dir, 'cert.pem');
const keyFile = path.join(dir, 'hmac.key');
fs.writeFileSync(chainFile, JSON.stringify(vectors.events));
fs.writeFileSync(certFile, vectors.rsa.certificatePem);
fs.writeFileSync(keyFile, vectors.hmacKeyBase64);

function capture(): CommandIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

describe('sdg verify-chain', () => {
  it('exits 0 for an intact chain and prints the head', async () => {
    const io = capture();
    expect(
      await runCli(['verify-chain', chainFile, '--cert', certFile, '--hmac-key-file', keyFile], io)
    ).toBe(0);
    expect(io.stdout[0]).toBe(`✔ Audit chain intact: 7 events, head ${vectors.head}.`);
    expect(io.stdout[1]).toContain('2 signature-verified, 1 unsigned');
  });

  it('prints the documented JSON and exits 1 for a broken chain', async () => {
    const tampered = vectors.events.map((e, i) =>
      i === 2 ? { ...e, [COLUMNS.reasonCodes]: 'NOTHING_TO_SEE' } : e
    );
    const file = path.join(dir, 'tampered.json');
    fs.writeFileSync(file, JSON.stringify(tampered));
    const io = capture();
    expect(await runCli(['verify-chain', file, '--json'], io)).toBe(1);
    const report = JSON.parse(io.stdout.join('\n')) as Record<string, unknown>;
    expect(report).toMatchObject({
      intact: false,
      events: 7,
      firstBreak: { sequence: 3, kind: 'edited' }
    });
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['intact', 'events', 'head', 'firstBreak'])
    );

    const text = capture();
    expect(await runCli(['verify-chain', file], text)).toBe(1);
    expect(text.stdout[0]).toMatch(/^✖ Audit chain broken at event 3 \(edited\)/);
  });

  it('checks an anchored head', async () => {
    const io = capture();
    expect(
      await runCli(['verify-chain', chainFile, '--expect-head', 'a'.repeat(64), '--json'], io)
    ).toBe(1);
    expect(JSON.parse(io.stdout.join('\n'))).toMatchObject({ firstBreak: { kind: 'truncated' } });
    expect(
      await runCli(['verify-chain', chainFile, '--expect-head', 'not-a-hash'], capture())
    ).toBe(2);
  });

  it('exits 2 with the file named for unreadable input, keys or certificates, and JSON errors stay JSON', async () => {
    const io = capture();
    expect(await runCli(['verify-chain', path.join(dir, 'missing.csv')], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/missing\.csv: no such file/);
    expect(await runCli(['verify-chain', chainFile, '--cert', keyFile], capture())).toBe(2);
    expect(
      await runCli(
        ['verify-chain', chainFile, '--hmac-key-file', path.join(dir, 'nope')],
        capture()
      )
    ).toBe(2);
    const json = capture();
    expect(await runCli(['verify-chain', path.join(dir, 'missing.csv'), '--json'], json)).toBe(2);
    expect(JSON.parse(json.stdout[0]!)).toHaveProperty('error');
  });

  it('says there is no signed checkpoint when there is none', async () => {
    const unsigned = vectors.events.slice(0, 3);
    const file = path.join(dir, 'unsigned.json');
    fs.writeFileSync(file, JSON.stringify(unsigned));
    const io = capture();
    expect(await runCli(['verify-chain', file], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('No signed checkpoint');
  });
});

describe('sdg usage', () => {
  it('exits 2 on an unknown command or a missing argument, 0 for help', async () => {
    const io = capture();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('unknown command');
    expect(await runCli(['verify-chain'], capture())).toBe(2);
    expect(await runCli(['--help'], capture())).toBe(0);
  });
});

describe('sdg --version', () => {
  it('prints the package version and exits 0', async () => {
    const io = capture();
    expect(await runCli(['--version'], io)).toBe(0);
    const { version } = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')
    ) as { version: string };
    expect(io.stdout).toEqual([version]);
  });
});

describe('sdg verify-chain <export folder>', () => {
  it('verifies the folder sdg seed wrote, and its checkpoint line says nothing is left to check', async () => {
    const folder = path.join(dir, 'seeded');
    expect(await runCli(['seed', '--out', folder, '--count', '60'], capture())).toBe(0);
    const io = capture();
    expect(
      await runCli(
        ['verify-chain', folder, '--hmac-key-file', path.join(folder, 'sample-checkpoint.key')],
        io
      )
    ).toBe(0);
    expect(io.stdout[0]).toMatch(/^✔ Audit chain intact: \d+ events/);
    expect(io.stdout[1]).toMatch(
      /^ {2}Checkpoints: (\d+) \(\1 signature-verified, 0 unsigned\)\.$/
    );
    const empty = path.join(dir, 'empty-folder');
    fs.mkdirSync(empty);
    const none = capture();
    expect(await runCli(['verify-chain', empty], none)).toBe(2);
    expect(none.stderr[0]).toContain('is a folder without Synthetic_Audit_Event__c.csv');
  });

  it('counts checkpoints before a break as such', async () => {
    const tampered = vectors.events.map((e, i) =>
      i === 1 ? { ...e, [COLUMNS.reasonCodes]: 'NOTHING_TO_SEE' } : e
    );
    const file = path.join(dir, 'tampered-early.json');
    fs.writeFileSync(file, JSON.stringify(tampered));
    const io = capture();
    expect(await runCli(['verify-chain', file, '--cert', certFile], io)).toBe(1);
    expect(io.stdout.join('\n')).toMatch(/Checkpoints before the break: \d+/);
  });
});
