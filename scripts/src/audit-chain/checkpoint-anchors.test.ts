import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditEvent } from './canonical';
import { generateChain } from './chain-generator';
import { COLUMNS } from './export-reader';
import { createLocalTsa, LocalTsa, tokenOf } from './local-tsa';
import { parseCheckpoint } from './signatures';
import { buildTimestampRequest, checkpointImprint } from './timestamp-token';
import {
  EXIT_BROKEN,
  EXIT_INTACT,
  EXIT_UNREADABLE,
  runVerifyChain,
  VerifyChainReport
} from './verify-chain-command';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-anchors-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const key = Buffer.from('anchor-test-key');
const keyFile = path.join(dir, 'hmac.key');
fs.writeFileSync(keyFile, key.toString('base64'));

async function tokenFor(tsa: LocalTsa, event: AuditEvent): Promise<string> {
  const checkpoint = parseCheckpoint(event.payload)!;
  const request = buildTimestampRequest(
    checkpointImprint(checkpoint),
    Buffer.from('0a0b0c0d', 'hex')
  );
  return tokenOf(await tsa.respond(request, new Date('2026-06-01T12:00:00Z'))).toString('base64');
}

function writeExport(name: string, events: AuditEvent[]): string {
  const file = path.join(dir, name);
  const rows = events.map((event) =>
    Object.fromEntries(
      (Object.keys(COLUMNS) as (keyof AuditEvent)[]).map((p) => [COLUMNS[p], event[p] ?? null])
    )
  );
  fs.writeFileSync(file, JSON.stringify(rows));
  return file;
}

function capture() {
  const stdout: string[] = [];
  return { stdout, out: (l: string) => stdout.push(l), err: (l: string) => stdout.push(l) };
}

describe('verify-chain: checkpoints anchored by RFC 3161 timestamps', () => {
  let tsa: LocalTsa;
  let trustFile: string;
  let exportFile: string;
  beforeAll(async () => {
    tsa = await createLocalTsa();
    trustFile = path.join(dir, 'tsa-root.pem');
    fs.writeFileSync(trustFile, tsa.rootPem);
    // Checkpoints at 10, 20, 30: 10 timestamped, 20 carrying the token of checkpoint 10 (its
    // imprint is of another checkpoint), 30 without a token.
    const events = [...generateChain(30, key, 10)];
    const first = await tokenFor(tsa, events[9]!);
    events[9] = { ...events[9]!, timestampToken: first };
    events[19] = { ...events[19]!, timestampToken: first };
    exportFile = writeExport('chain.json', events);
  });

  it('reports each checkpoint as org-signed and timestamped, org-signed or neither, with the TSA time', async () => {
    const io = capture();
    const code = await runVerifyChain(
      exportFile,
      { hmacKeyFile: keyFile, tsaTrust: trustFile, json: true },
      io
    );
    const report = JSON.parse(io.stdout.join('\n')) as VerifyChainReport;
    expect(code).toBe(EXIT_BROKEN);
    expect(report.intact).toBe(true);
    expect(report.checkpoints).toEqual({ total: 3, valid: 3, unsigned: 0, unchecked: 0 });
    expect(report.timestamps).toEqual({ valid: 1, invalid: 1, missing: 1, unchecked: 0 });
    expect(report.checkpointAnchors).toEqual([
      {
        sequence: 10,
        anchor: 'org-signed and timestamped',
        signature: 'valid',
        timestamp: 'valid',
        genTime: '2026-06-01T12:00:00.000Z'
      },
      {
        sequence: 20,
        anchor: 'org-signed',
        signature: 'valid',
        timestamp: 'invalid',
        genTime: '2026-06-01T12:00:00.000Z',
        detail: 'its message imprint is not the SHA-256 of this checkpoint'
      },
      { sequence: 30, anchor: 'org-signed', signature: 'valid', timestamp: 'missing' }
    ]);
  });

  it('says in text which checkpoint a token does not attest', async () => {
    const io = capture();
    await runVerifyChain(exportFile, { hmacKeyFile: keyFile, tsaTrust: trustFile }, io);
    expect(io.stdout).toContain(
      '  Checkpoint anchors: 1 org-signed and timestamped, 2 org-signed.'
    );
    expect(io.stdout).toContain(
      '  Checkpoint 10: org-signed and timestamped, TSA time 2026-06-01T12:00:00.000Z.'
    );
    expect(io.stdout).toContain(
      '✖ Checkpoint 20: timestamp token invalid: its message imprint is not the SHA-256 of this checkpoint.'
    );
  });

  it('refuses a token whose TSA does not chain to the trust file', async () => {
    const stranger = await createLocalTsa('Another Root');
    const otherTrust = path.join(dir, 'other-root.pem');
    fs.writeFileSync(otherTrust, stranger.rootPem);
    const io = capture();
    const code = await runVerifyChain(exportFile, { tsaTrust: otherTrust, json: true }, io);
    const report = JSON.parse(io.stdout.join('\n')) as VerifyChainReport;
    expect(code).toBe(EXIT_BROKEN);
    expect(report.checkpointAnchors[0]).toMatchObject({
      sequence: 10,
      anchor: 'neither',
      signature: 'unchecked',
      timestamp: 'invalid'
    });
    expect(report.checkpointAnchors[0]?.detail).toMatch(/does not chain to --tsa-trust/);
  });

  it('reports tokens as unchecked without --tsa-trust, and the chain as intact', async () => {
    const io = capture();
    const code = await runVerifyChain(exportFile, { hmacKeyFile: keyFile }, io);
    expect(code).toBe(EXIT_INTACT);
    expect(io.stdout).toContain(
      "  2 timestamp token(s) not checked: pass --tsa-trust with the PEM of the timestamp authority's root certificate."
    );
  });

  it('refuses a trust file without a certificate', async () => {
    const empty = path.join(dir, 'empty.pem');
    fs.writeFileSync(empty, 'not a certificate\n');
    const io = capture();
    const code = await runVerifyChain(exportFile, { tsaTrust: empty }, io);
    expect(code).toBe(EXIT_UNREADABLE);
    expect(io.stdout.join('\n')).toMatch(/no "BEGIN CERTIFICATE" block/);
  });
});
